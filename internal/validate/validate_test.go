package validate

import "testing"

func TestEmail(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"ada@firm.example":           true,
		"A.B-c_d%e+f@sub.firm.co":    true,
		"x@y.io":                     true,
		"invalid":                    false,
		"no-at.example":              false,
		"a@b":                        false,
		"a@b.c":                      false, // TLD of one letter
		"a b@firm.example":           false,
		"a@firm.ex4mple":             false,
		"@firm.example":              false,
		"ada@firm.example\nBcc: x@y": false,
	}
	for in, want := range tests {
		if got := Email(in); got != want {
			t.Errorf("Email(%q) = %v, want %v", in, got, want)
		}
	}
	if NormalizeEmail("  Ada@Firm.EXAMPLE ") != "ada@firm.example" {
		t.Error("NormalizeEmail must trim and lower-case")
	}
}

func TestMaxLength(t *testing.T) {
	t.Parallel()
	if !MaxLength("ééé", 3) || MaxLength("éééé", 3) {
		t.Error("MaxLength must count characters, not bytes")
	}
}
