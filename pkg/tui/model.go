package tui

import (
	"context"
	"io"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/report"
)

// historyLen is how many rounds a latency sparkline remembers.
const historyLen = 20

// spinInterval is the spinner frame period while a round runs.
const spinInterval = 100 * time.Millisecond

// Messages. Every I/O happens in a tea.Cmd that returns one of these.
type (
	// eventMsg is one probe event of round id, read from ch by waitForEvent.
	eventMsg struct {
		id int
		ev engine.Event
		ch <-chan tea.Msg
	}
	// roundDoneMsg ends round id with its report.
	roundDoneMsg struct {
		id        int
		rep       report.Report
		cancelled bool // the round's context was cancelled (quit)
	}
	// tickMsg asks for the next interval round; gen discards stale ticks.
	tickMsg struct{ gen int }
	// spinMsg advances the spinner of round id.
	spinMsg struct{ id int }
)

// view is the pane on screen.
type view int

const (
	mainView view = iota
	detailView
)

// change marks an upstream whose status changed since the previous round.
type change int

const (
	unchanged change = iota
	better
	worse
	added
)

// progress is the state of the running round, fed by probe events.
type progress struct {
	started, done, total, layers int
}

// pendingRow is an upstream announced by an event of the first round,
// shown before any report exists.
type pendingRow struct {
	name string
	done bool
}

// rowData is what the list shows of one upstream, computed once per report.
type rowData struct {
	layer string
	code  string
	p50   float64 // NaN when no latency was measured
	// key is the lower-cased text the filter matches: name, tags, codes.
	key string
}

// model is the bubbletea model. It is used through a pointer: Update
// mutates it and returns it.
type model struct {
	ctx    context.Context // ends when Run ends; parent of every round
	round  Round
	opts   Options
	now    func() time.Time
	st     styles
	rounds *roundTracker

	width, height int
	view          view
	showHelp      bool // the help pane is open
	quitting      bool // q or ctrl+c was pressed
	// cut: a round was cut short by the end of the program (quit, or Run's
	// context ending); its report never came.
	cut bool

	// Rounds.
	seq       int // id of the latest round started
	running   bool
	cancel    context.CancelFunc
	prog      progress
	pending   []pendingRow
	pendingIx map[string]int
	spin      int
	tickGen   int

	// The last complete report and what was derived from it.
	rep       *report.Report
	groups    []report.RootCauseGroup // rep's root causes, one per fault
	causeAt   int                     // the group the banner shows
	data      []rowData               // parallel to rep.Upstreams
	order     []int                   // rep.Upstreams' indexes in the table's order (report.WorstFirst)
	completed int                     // rounds completed
	lastAt    time.Time
	changes   map[string]change
	history   map[string][]float64

	// The list: rows are indexes into rep.Upstreams, sorted and filtered;
	// nameW and codeW are the widest name and code of the report.
	nameW, codeW int
	rows         []int
	cursor       int
	offset       int
	sel          string // name of the selected upstream, kept across rounds

	// Filter.
	filtering bool
	input     textinput.Model
	filter    string // applied (or being typed) filter, lower-cased

	// The help pane and the footers' key hints.
	help help.Model

	// Detail pane. The viewport keeps the vertical position; the lines
	// may be wider than the pane (whole commands, URLs) and detailX is the
	// first column shown.
	vp           viewport.Model
	detail       string // upstream shown
	detailLines  []string
	detailWidest int
	detailX      int
}

func newModel(ctx context.Context, round Round, opts Options, out io.Writer, now func() time.Time) *model {
	if out == nil {
		out = io.Discard
	}
	st := newStyles(out, opts.Color)
	vp := viewport.New(80, 10)
	vp.Style = st.plain

	return &model{
		ctx:       ctx,
		round:     round,
		opts:      opts,
		now:       now,
		st:        st,
		rounds:    &roundTracker{},
		width:     80,
		height:    24,
		pendingIx: map[string]int{},
		changes:   map[string]change{},
		history:   map[string][]float64{},
		input:     newFilterInput(&st),
		help:      newHelp(&st),
		vp:        vp,
	}
}

// lastReport is a copy of the last complete report, or nil.
func (m *model) lastReport() *report.Report {
	if m.rep == nil {
		return nil
	}
	r := *m.rep
	return &r
}

// Init starts the first round.
func (m *model) Init() tea.Cmd { return m.startRound() }

// Update handles one message.
func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return m, nil
	case tea.KeyMsg:
		return m.key(msg)
	case eventMsg:
		if m.running && msg.id == m.seq {
			m.observe(msg.ev)
		}
		return m, waitForEvent(msg.ch)
	case roundDoneMsg:
		return m, m.finishRound(msg)
	case tickMsg:
		if msg.gen != m.tickGen || m.running {
			return m, nil
		}
		return m, m.startRound()
	case spinMsg:
		if !m.running || msg.id != m.seq {
			return m, nil
		}
		m.spin++
		return m, after(m.ctx, spinInterval, spinMsg{id: msg.id})
	}
	return m, nil
}

// quit cancels a running round and ends the program.
func (m *model) quit() (tea.Model, tea.Cmd) {
	m.quitting = true
	m.cut = m.cut || m.running
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	return m, tea.Quit
}

func (m *model) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if key.Matches(msg, keys.ForceQuit) {
		return m.quit()
	}
	if m.filtering {
		return m.filterKey(msg)
	}
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && !msg.Alt {
		return m.runeKeys(msg.Runes)
	}
	switch {
	case key.Matches(msg, keys.Quit):
		return m.quit()
	case key.Matches(msg, keys.Help):
		m.showHelp = !m.showHelp
		return m, nil
	case key.Matches(msg, keys.Reprobe):
		return m, m.startRound()
	case key.Matches(msg, keys.NextCause):
		m.stepCause(1)
		return m, nil
	case key.Matches(msg, keys.PrevCause):
		m.stepCause(-1)
		return m, nil
	case key.Matches(msg, keys.Filter):
		m.showHelp = false
		m.view = mainView
		m.filtering = true
		m.input.SetValue(m.filter)
		m.input.CursorEnd()
		return m, m.input.Focus()
	}
	if m.showHelp && key.Matches(msg, keys.Back) {
		m.showHelp = false
		return m, nil
	}
	if m.view == detailView {
		switch {
		case key.Matches(msg, keys.Back):
			m.view = mainView
			m.detail = ""
			return m, nil
		case key.Matches(msg, keys.Top):
			m.vp.GotoTop()
			return m, nil
		case key.Matches(msg, keys.Bottom):
			m.vp.GotoBottom()
			return m, nil
		case key.Matches(msg, keys.Left):
			m.scrollSideways(-m.sidewaysStep())
			return m, nil
		case key.Matches(msg, keys.Right):
			m.scrollSideways(m.sidewaysStep())
			return m, nil
		}
		var cmd tea.Cmd
		m.vp, cmd = m.vp.Update(msg)
		return m, cmd
	}
	switch {
	case key.Matches(msg, keys.Up):
		m.move(-1)
	case key.Matches(msg, keys.Down):
		m.move(1)
	case key.Matches(msg, keys.PageUp):
		m.move(-m.pageRows())
	case key.Matches(msg, keys.PageDown):
		m.move(m.pageRows())
	case key.Matches(msg, keys.Top):
		m.move(-len(m.rows))
	case key.Matches(msg, keys.Bottom):
		m.move(len(m.rows))
	case key.Matches(msg, keys.Enter):
		m.openDetail()
	case key.Matches(msg, keys.Back):
		if m.filter != "" {
			m.filter = ""
			m.input.SetValue("")
			m.refreshRows()
		}
	}
	return m, nil
}

// runeKeys handles keys that arrived in one read ("jjj" from a fast typist,
// tmux send-keys or a key repeat) as one key after another. Once a key opens
// the filter, the rest is its text; once one quits, the rest is dropped.
// (A bracketed paste is text, not keys: it only goes into the filter.)
func (m *model) runeKeys(rs []rune) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	for i, r := range rs {
		if m.filtering {
			_, cmd := m.filterKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: rs[i:]})
			cmds = append(cmds, cmd)
			break
		}
		_, cmd := m.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		cmds = append(cmds, cmd)
		if m.quitting {
			break
		}
	}
	return m, tea.Batch(cmds...)
}

// filterKey handles a key while the filter input has the focus: enter
// applies, esc clears, anything else edits and filters as one types.
func (m *model) filterKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEnter:
		m.filtering = false
		m.input.Blur()
		m.filter = normFilter(m.input.Value())
		m.refreshRows()
		return m, nil
	case tea.KeyEsc:
		m.filtering = false
		m.input.Blur()
		m.input.SetValue("")
		m.filter = ""
		m.refreshRows()
		return m, nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if f := normFilter(m.input.Value()); f != m.filter {
		m.filter = f
		m.refreshRows()
	}
	return m, cmd
}

func normFilter(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func (m *model) resize(w, h int) {
	m.width, m.height = max(w, 1), max(h, 1)
	m.scroll()
	if m.view == detailView {
		m.layoutDetail(false)
	}
}

// move moves the cursor by d rows, clamped, and keeps it visible.
func (m *model) move(d int) {
	if len(m.rows) == 0 {
		return
	}
	m.cursor = min(max(m.cursor+d, 0), len(m.rows)-1)
	m.sel = m.rep.Upstreams[m.rows[m.cursor]].Name
	m.scroll()
}

// scroll sets offset so that the cursor row is on screen (see window),
// moving the list as little as it can and never past its end.
func (m *model) scroll() {
	n, total := m.listRows(), len(m.rows)
	if n <= 0 {
		m.offset = m.cursor
		return
	}
	maxOffset := 0
	if total > n {
		maxOffset = total - n
		if n >= 3 {
			maxOffset = total - (n - 1) // the last screen has a "↑ N more" line
		}
	}
	m.offset = min(max(m.offset, 0), maxOffset)
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.offset == 1 && n >= 3 {
		m.offset = 0 // a "↑ 1 more" line would take the place of the row it hides
	}
	for m.offset < maxOffset {
		if _, end, _, _ := m.window(m.offset); m.cursor < end {
			break
		}
		m.offset++
	}
}

func (m *model) openDetail() {
	if len(m.rows) == 0 {
		return
	}
	m.detail = m.rep.Upstreams[m.rows[m.cursor]].Name
	m.view = detailView
	m.showHelp = false
	m.layoutDetail(true)
}

// stepCause shows the root cause d groups on (wrapping around) in the
// banner and selects its first upstream, clearing a filter that hides it;
// in the detail pane it opens that upstream.
func (m *model) stepCause(d int) {
	if len(m.groups) == 0 {
		return
	}
	n := len(m.groups)
	m.causeAt = ((m.causeAt+d)%n + n) % n
	m.sel = m.groups[m.causeAt].Upstreams[0]
	for i := range m.rep.Upstreams {
		if m.rep.Upstreams[i].Name == m.sel && m.filter != "" && !strings.Contains(m.data[i].key, m.filter) {
			m.filter = ""
			m.input.SetValue("")
		}
	}
	m.refreshRows()
	if m.view == detailView {
		m.detail = m.sel
		m.layoutDetail(true)
	}
}

// startRound starts a round unless one is running. The round runs in a
// tea.Cmd; its events come back through ch and waitForEvent.
func (m *model) startRound() tea.Cmd {
	if m.running {
		return nil
	}
	m.seq++
	m.tickGen++ // a pending interval tick is now stale
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancel = cancel
	m.running = true
	m.spin = 0
	m.prog = progress{}
	if m.rep != nil {
		m.prog.total = len(m.rep.Upstreams)
	}
	m.pending = m.pending[:0]
	clear(m.pendingIx)
	ch := make(chan tea.Msg, 256)
	return tea.Batch(
		runRound(ctx, cancel, m.rounds, m.round, m.seq, ch),
		waitForEvent(ch),
		after(m.ctx, spinInterval, spinMsg{id: m.seq}),
	)
}

// runRound runs round once with an observer that forwards events to ch,
// closes ch when the round has returned, and reports the result.
func runRound(ctx context.Context, cancel context.CancelFunc, t *roundTracker, round Round, id int, ch chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		defer cancel()
		if !t.begin() {
			close(ch)
			return nil
		}
		defer t.end()
		var mu sync.Mutex
		closed := false
		observe := func(ev engine.Event) {
			mu.Lock()
			defer mu.Unlock()
			if closed {
				return
			}
			select {
			case ch <- eventMsg{id: id, ev: ev, ch: ch}:
			case <-ctx.Done():
			}
		}
		rep := round(ctx, observe)
		mu.Lock()
		closed = true
		close(ch)
		mu.Unlock()
		return roundDoneMsg{id: id, rep: rep, cancelled: ctx.Err() != nil}
	}
}

// waitForEvent returns the next message of a round's event channel; nil
// once the channel is closed.
func waitForEvent(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}

// after returns msg after d, or nil as soon as ctx ends (so that no timer
// goroutine outlives the program).
func after(ctx context.Context, d time.Duration, msg tea.Msg) tea.Cmd {
	return func() tea.Msg {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return msg
		case <-ctx.Done():
			return nil
		}
	}
}

// observe applies one probe event to the progress of the running round.
func (m *model) observe(ev engine.Event) {
	if ev.Total > 0 {
		m.prog.total = ev.Total
	}
	switch ev.Kind {
	case engine.UpstreamStarted:
		m.prog.started++
		m.pend(ev.Upstream)
	case engine.LayerDone:
		m.prog.layers++
		m.pend(ev.Upstream)
	case engine.UpstreamDone:
		if ev.Done > 0 {
			m.prog.done = max(m.prog.done, ev.Done)
		} else {
			m.prog.done++
		}
		m.pend(ev.Upstream)
		m.pending[m.pendingIx[ev.Upstream]].done = true
	}
}

func (m *model) pend(name string) {
	if name == "" {
		return
	}
	if _, ok := m.pendingIx[name]; ok {
		return
	}
	m.pendingIx[name] = len(m.pending)
	m.pending = append(m.pending, pendingRow{name: name})
}

// finishRound takes in the report of a finished round and schedules the
// next one.
func (m *model) finishRound(msg roundDoneMsg) tea.Cmd {
	if msg.id != m.seq || !m.running {
		return nil
	}
	m.running = false
	m.cancel = nil
	if msg.cancelled {
		m.cut = true
		return nil
	}
	m.setReport(msg.rep)
	if m.opts.Interval > 0 {
		m.tickGen++
		return after(m.ctx, m.opts.Interval, tickMsg{gen: m.tickGen})
	}
	return nil
}

// setReport installs a new complete report: status changes against the
// previous one, the latency history, the rows, the detail pane.
func (m *model) setReport(r report.Report) {
	prev := m.rep
	m.rep = &r
	m.groups = r.RootCauseGroups()
	if m.causeAt >= len(m.groups) {
		m.causeAt = 0
	}
	m.completed++
	m.lastAt = m.now()

	clear(m.changes)
	var prevStatus map[string]report.Status
	if prev != nil {
		prevStatus = make(map[string]report.Status, len(prev.Upstreams))
		for i := range prev.Upstreams {
			prevStatus[prev.Upstreams[i].Name] = prev.Upstreams[i].Status
		}
	}
	m.data = make([]rowData, len(r.Upstreams))
	seen := make(map[string]bool, len(r.Upstreams))
	for i := range r.Upstreams {
		u := &r.Upstreams[i]
		d := rowFor(u)
		m.data[i] = d
		seen[u.Name] = true
		h := append(m.history[u.Name], d.p50)
		if len(h) > historyLen {
			h = append(h[:0], h[len(h)-historyLen:]...)
		}
		m.history[u.Name] = h
		if prevStatus != nil {
			old, ok := prevStatus[u.Name]
			switch {
			case !ok:
				m.changes[u.Name] = added
			case report.StatusRank(u.Status) > report.StatusRank(old):
				m.changes[u.Name] = worse
			case report.StatusRank(u.Status) < report.StatusRank(old):
				m.changes[u.Name] = better
			}
		}
	}
	for name := range m.history {
		if !seen[name] {
			delete(m.history, name)
		}
	}
	index := make(map[string]int, len(r.Upstreams))
	for i := range r.Upstreams {
		index[r.Upstreams[i].Name] = i
	}
	m.order = m.order[:0]
	for _, u := range m.rep.WorstFirst() {
		m.order = append(m.order, index[u.Name])
	}
	m.nameW, m.codeW = m.columnNeeds()
	if prev == nil && len(r.RootCauses) > 0 {
		// The first report: start on the first root cause, where one
		// looks first (refreshRows falls back to the first row when it is
		// not in the list). Later rounds follow the selection.
		m.sel = r.RootCauses[0].Upstream
	}
	m.refreshRows()
	if m.view == detailView {
		m.layoutDetail(false)
	}
}

// rowFor derives the list columns of one upstream.
func rowFor(u *report.Upstream) rowData {
	d := rowData{layer: string(u.FailingLayer()), p50: medianP50(u)}
	if i := u.PrimaryFinding(); i >= 0 && u.Status != report.Healthy {
		d.code = u.Findings[i].Code
		if d.layer == "" {
			d.layer = string(u.Findings[i].Layer)
		}
	}
	var b strings.Builder
	b.WriteString(strings.ToLower(u.Name))
	for _, t := range u.Tags {
		b.WriteByte('\n')
		b.WriteString(strings.ToLower(t))
	}
	for _, f := range u.Findings {
		b.WriteByte('\n')
		b.WriteString(strings.ToLower(f.Code))
	}
	d.key = b.String()
	return d
}

// medianP50 is the median of the targets' p50 latencies, NaN when none.
func medianP50(u *report.Upstream) float64 {
	var v []float64
	for _, t := range u.Targets {
		if t.LatencyMS != nil && t.LatencyMS.Samples > 0 {
			v = append(v, t.LatencyMS.P50)
		}
	}
	if len(v) == 0 {
		return math.NaN()
	}
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// refreshRows recomputes the rows, filtered and in the table's order
// (m.order), and puts the cursor back on the selected upstream.
func (m *model) refreshRows() {
	m.rows = m.rows[:0]
	if m.rep == nil {
		return
	}
	for _, i := range m.order {
		if m.filter == "" || strings.Contains(m.data[i].key, m.filter) {
			m.rows = append(m.rows, i)
		}
	}
	ups := m.rep.Upstreams
	m.cursor = 0
	for i, ix := range m.rows {
		if ups[ix].Name == m.sel {
			m.cursor = i
			break
		}
	}
	if len(m.rows) > 0 {
		m.sel = ups[m.rows[m.cursor]].Name
	}
	m.scroll()
}
