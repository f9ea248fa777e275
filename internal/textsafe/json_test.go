package textsafe

import (
	"bytes"
	"encoding/json"
	"testing"
)

// JSON keeps C1 and bidi controls escaped, however the encoded text is cut
// into writes, and decodes to the same strings.
func TestJSONWriter(t *testing.T) {
	value := map[string]string{"subject": "CN=\u009b2J\u202eevil\u2066 \u200f\u061c ok ünï 日本", "plain": "x"}
	enc, err := json.Marshal(value)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []int{1, 2, 3, len(enc)} {
		var out bytes.Buffer
		w := &JSONWriter{W: &out}
		for i := 0; i < len(enc); i += step {
			if _, err := w.Write(enc[i:min(i+step, len(enc))]); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		for _, r := range out.String() {
			if Unsafe(r) {
				t.Fatalf("step %d: %U passed raw: %s", step, r, out.String())
			}
		}
		var back map[string]string
		if err := json.Unmarshal(out.Bytes(), &back); err != nil || back["subject"] != value["subject"] {
			t.Fatalf("step %d: decodes to %q (%v), want %q", step, back["subject"], err, value["subject"])
		}
	}
}
