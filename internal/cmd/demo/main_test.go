package main

import "testing"

func TestContainsInOrder(t *testing.T) {
	cases := []struct {
		name string
		list []string
		want bool
	}{
		{"converting then sent", []string{"converting", "sent"}, true},
		{"other statuses between", []string{"converting", "created", "sent"}, true},
		{"only converting", []string{"converting"}, false},
		{"sent before converting", []string{"sent", "converting"}, false},
		{"nothing seen", nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := containsInOrder(c.list, "converting", "sent"); got != c.want {
				t.Errorf("containsInOrder(%v) = %v, want %v", c.list, got, c.want)
			}
		})
	}
}
