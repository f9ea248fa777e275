package textfmt

import "testing"

func TestListSome(t *testing.T) {
	tests := []struct {
		items []string
		max   int
		want  string
	}{
		{nil, 3, ""},
		{[]string{"a", "b"}, 2, "a, b"},
		{[]string{"a", "b", "c"}, 2, "a, b, … and 1 more"},
		{[]string{"a", "b", "c"}, 0, "a, … and 2 more"},
	}
	for _, tt := range tests {
		if got := ListSome(tt.items, tt.max); got != tt.want {
			t.Errorf("ListSome(%q, %d) = %q, want %q", tt.items, tt.max, got, tt.want)
		}
	}
}
