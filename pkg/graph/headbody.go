package graph

import "strings"

// checkHeadBody reports each upstream that sends HEAD and expects
// something of the answer's body (expect.body_contains, expect.body_regex):
// a HEAD answer has no body, so the expectation could never be met. A
// value the upstream does not set itself is the one of defaults:.
func (d *decoder) checkHeadBody(defaults settings, ups []*rawUpstream) {
	methodKey := find(upstreamKeys, "method")
	effective := func(ru *rawUpstream, k *key) (setting, bool) {
		if s, ok := ru.set.get(k); ok && s.ok {
			return s, true
		}
		s, ok := defaults.get(k)
		return s, ok && s.ok
	}
	for _, ru := range ups {
		m, ok := effective(ru, methodKey)
		if !ok || !strings.EqualFold(m.value.(string), "HEAD") {
			continue
		}
		for _, name := range []string{"body_contains", "body_regex"} {
			if s, ok := effective(ru, find(expectKey.keys, name)); ok {
				d.errorf(s.at, "expect.%s: upstream %q sends HEAD, and a HEAD answer has no body: use method GET, or drop expect.%s", name, ru.name, name)
			}
		}
	}
}
