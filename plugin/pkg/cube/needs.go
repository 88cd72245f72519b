package cube

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// The port of contract/src/kpi-needs.ts: a KPI measure's meta.needs lists data a tenant may
// not have at all. Churn, retention, cohort retention and ARPU ÷ churn CLV are built on
// subscription spans, so a shop with orders only has no value for them, and its panels say so.
const (
	NeedSubscriptions = "subscriptions"
	// NeedsSubscriptionsText is kpiNeedText.subscriptions as a panel shows it in place of "No data".
	NeedsSubscriptionsText = "Needs subscriptions"
	subscriptionsMeasure   = "customer_lifecycle.customers_ever_subscribed"
)

// SubscriptionsQuery asks whether the token's tenant has any subscription: customers who ever started one, all time.
func SubscriptionsQuery() Query { return Query{"measures": []any{subscriptionsMeasure}} }

// HasSubscriptions reads SubscriptionsQuery's /v1/load answer.
func HasSubscriptions(body []byte) (bool, error) {
	var answer LoadAnswer
	if err := json.Unmarshal(body, &answer); err != nil {
		return false, fmt.Errorf("Unexpected /v1/load answer from Cube: %w", err)
	}
	if len(answer.Data) == 0 {
		return false, nil
	}
	n := toNumber(answer.Data[0][subscriptionsMeasure])
	return n != nil && *n > 0, nil
}

// needsOf is a KPI measure's meta.needs (the kinds of data it is built on), nil when it has none.
func needsOf(meta any) []string {
	object, _ := meta.(map[string]any)
	list, _ := object["needs"].([]any)
	var needs []string
	for _, item := range list {
		if need, ok := item.(string); ok {
			needs = append(needs, need)
		}
	}
	return needs
}

func needsSubscriptions(field *data.Field) bool {
	if field.Config == nil {
		return false
	}
	needs, _ := field.Config.Custom["needs"].([]string)
	return contains(needs, NeedSubscriptions)
}

func hasNoValue(field *data.Field) bool {
	for i := 0; i < field.Len(); i++ {
		if v, ok := field.At(i).(*float64); !ok || (v != nil && !math.IsNaN(*v)) {
			return false
		}
	}
	return true
}

// ExplainMissing gives a KPI field built on subscriptions that came back empty the noValue
// "Needs subscriptions" when the tenant has none, which every Grafana panel shows instead of
// "No data". hasSubscriptions is asked only when such a field is empty; when it fails, the
// frames stay as they are (plain no data) and the error is returned.
func ExplainMissing(frames data.Frames, hasSubscriptions func() (bool, error)) error {
	var empty []*data.Field
	for _, frame := range frames {
		for _, field := range frame.Fields {
			if needsSubscriptions(field) && hasNoValue(field) {
				empty = append(empty, field)
			}
		}
	}
	if len(empty) == 0 {
		return nil
	}
	has, err := hasSubscriptions()
	if err != nil || has {
		return err
	}
	for _, field := range empty {
		field.Config.NoValue = NeedsSubscriptionsText
	}
	return nil
}
