package cube

import (
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

func TestTenantCurrency(t *testing.T) {
	for _, c := range []struct{ body, want, wantError string }{
		{`{"data":[{"tenants.currency":"EUR"}]}`, "EUR", ""},
		{`{"data":[]}`, "", ""},
		{`{"data":[{"tenants.currency":"euro"}]}`, "", `tenants.currency: expected an ISO 4217 code such as "EUR", got "euro"`},
		{`{"data":[{"tenants.currency":null}]}`, "", `tenants.currency: expected an ISO 4217 code such as "EUR", got null`},
		{`[]`, "", "Unexpected /v1/load answer from Cube"},
	} {
		got, err := TenantCurrency([]byte(c.body))
		if got != c.want || (c.wantError == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.wantError)) {
			t.Errorf("%s: %q %v, want %q %q", c.body, got, err, c.want, c.wantError)
		}
	}
}

func TestUsesCurrency(t *testing.T) {
	field := func(unit string) *data.Field {
		f := data.NewField("m.x", nil, []*float64{nil})
		f.Config = &data.FieldConfig{Unit: unit}
		return f
	}
	if !UsesCurrency(data.Frames{data.NewFrame("A", field("short"), field("currency:CAD "))}) {
		t.Error("a currency field was not seen")
	}
	if UsesCurrency(data.Frames{data.NewFrame("A", field("percent"), data.NewField("t", nil, []string{"x"}))}) {
		t.Error("frames without money were said to use a currency")
	}
}
