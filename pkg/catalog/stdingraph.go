package catalog

import "strings"

// stdinGraphNote says, in a step's prose, what a command that reads the
// graph from standard input (updoc check -f -) needs: the run read it
// from there too.
const stdinGraphNote = "with the same graph on stdin"

// noteStdinGraph puts stdinGraphNote in the prose of a step whose command
// is an updoc command reading the graph from standard input: "… see their
// own findings (with the same graph on stdin): updoc check -f - --only api".
func noteStdinGraph(step string) string {
	_, command := SplitStep(step)
	if !strings.HasPrefix(command, "updoc ") || !readsGraphFromStdin(command) {
		return step
	}
	return withProseNote(step, stdinGraphNote)
}

// readsGraphFromStdin: the updoc command has -f - among its words.
func readsGraphFromStdin(command string) bool {
	words := strings.Fields(command)
	for i := 0; i+1 < len(words); i++ {
		if words[i] == "-f" && words[i+1] == "-" {
			return true
		}
	}
	return false
}
