package cube

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// The tenant's currency is in the model (tenants.currency, an ISO 4217 code, USD unless set):
// every amount of a tenant is in it, so money shows in it on every panel, alert and shared board.
const tenantCurrencyMember = "tenants.currency"

var isoCurrency = regexp.MustCompile(`^[A-Z]{3}$`)

// TenantCurrencyQuery asks the model for the token's tenant's currency.
func TenantCurrencyQuery() Query {
	return Query{"dimensions": []any{tenantCurrencyMember}, "limit": 1}
}

// TenantCurrency reads TenantCurrencyQuery's /v1/load answer: "" when the tenant has no row.
func TenantCurrency(body []byte) (string, error) {
	var answer LoadAnswer
	if err := json.Unmarshal(body, &answer); err != nil {
		return "", fmt.Errorf("Unexpected /v1/load answer from Cube: %w", err)
	}
	if len(answer.Data) == 0 {
		return "", nil
	}
	code, _ := answer.Data[0][tenantCurrencyMember].(string)
	if !isoCurrency.MatchString(code) {
		got, _ := json.Marshal(answer.Data[0][tenantCurrencyMember])
		return "", fmt.Errorf("%s: expected an ISO 4217 code such as \"EUR\", got %s", tenantCurrencyMember, got)
	}
	return code, nil
}

// UsesCurrency says whether some field of the frames shows an amount of money.
func UsesCurrency(frames data.Frames) bool {
	for _, frame := range frames {
		for _, field := range frame.Fields {
			if field.Config != nil && strings.HasPrefix(field.Config.Unit, "currency") {
				return true
			}
		}
	}
	return false
}
