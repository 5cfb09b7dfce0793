package crm

import "testing"

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, want string // want "" = error
	}{
		{"13812345678", "+8613812345678"},
		{"138 1234 5678", "+8613812345678"},
		{"+86 138-1234-5678", "+8613812345678"},
		{"0086 138 1234 5678", "+8613812345678"},
		{"8613812345678", "+8613812345678"}, // country code typed without +
		{"１３８１２３４５６７８", "+8613812345678"},
		{" 13812345678 ", "+8613812345678"},
		{"010-12345678", "+861012345678"},
		{"(021) 6888 8888", "+862168888888"},
		{"+1 415 555 0100", "+14155550100"},
		{"+44 20 7946 0958", "+442079460958"},
		{"abc123", ""},
		{"12345", ""},
		{"", ""},
		{"   ", ""},
		{"1381234567", ""},   // one digit short
		{"138123456789", ""}, // one digit long
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizePhone(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Errorf("NormalizePhone(%q) = %q, want an error", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestFormatPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+8613812345678", "138 1234 5678"},
		{"+861012345678", "010 1234 5678"},
		{"+14155550100", "+1 415-555-0100"},
		{"+442079460958", "+44 20 7946 0958"},
		{"not a phone", "not a phone"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := FormatPhone(tt.in); got != tt.want {
			t.Errorf("FormatPhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatPhoneRoundTrip(t *testing.T) {
	for _, e := range []string{"+8613812345678", "+861012345678", "+14155550100", "+442079460958"} {
		if got, err := NormalizePhone(FormatPhone(e)); err != nil || got != e {
			t.Errorf("NormalizePhone(FormatPhone(%q)) = %q, %v", e, got, err)
		}
	}
}
