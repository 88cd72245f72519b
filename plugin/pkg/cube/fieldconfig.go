package cube

import (
	"math"
	"regexp"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Member is what a frame's field knows of a Cube member, from the answer's annotation.
type Member struct {
	Name string
	// Kind: measure, dimension or timeDimension.
	Kind        string
	Title       string
	Description string
	// Type is Cube's: number, string, time, boolean, count, sum, …
	Type string
	// Format is Cube's format when it is a string ("percent", "currency").
	Format    string
	Benchmark Benchmark
	// Needs is the data the KPI is built on that a tenant may lack (meta.needs, needs.go).
	Needs []string
	// Currency is the ISO code a currency measure is shown in.
	Currency string
}

var (
	benchmarkUnits = map[string]string{"percent": "percent", "seconds": "s", "hours": "h", "score": "short", "count": "short"}
	hoursName      = regexp.MustCompile(`_hours$`)
	secondsName    = regexp.MustCompile(`_seconds$`)
)

// grafanaCurrencies are the ISO codes Grafana has a unit of its own for (@grafana/data's
// valueFormats categories: currencyUSD, currencyEUR, …).
var grafanaCurrencies = map[string]bool{
	"USD": true, "GBP": true, "EUR": true, "JPY": true, "RUB": true, "UAH": true, "BRL": true, "DKK": true, "ISK": true,
	"NOK": true, "SEK": true, "CZK": true, "CHF": true, "PLN": true, "ZAR": true, "INR": true, "KRW": true, "IDR": true,
	"PHP": true, "VND": true, "TRY": true, "MYR": true, "XPF": true, "BGN": true, "PYG": true, "UYU": true, "ILS": true,
}

// currencyUnit is Grafana's unit for an amount in an ISO currency: its own ("currencyEUR")
// where it has one, else its custom currency unit with the code as the symbol ("CAD 1.2K").
func currencyUnit(code string) string {
	code = strings.ToUpper(code)
	if code == "" {
		code = "USD"
	}
	if grafanaCurrencies[code] {
		return "currency" + code
	}
	return "currency:" + code + " "
}

// UnitOf is the Grafana unit of a measure, as plugin/src/datasource/fieldConfig.ts unitOf:
// the benchmark's unit, then Cube's format, then the member name. Percent measures are on
// 0–100 throughout the model, hence "percent", never "percentunit".
func UnitOf(m Member) string {
	if HasBands(m.Benchmark) {
		unit, _ := m.Benchmark["unit"].(string)
		if unit == "currency" {
			return currencyUnit(m.Currency)
		}
		if u, ok := benchmarkUnits[unit]; ok {
			return u
		}
		return "short"
	}
	switch {
	case m.Format == "percent":
		return "percent"
	case m.Format == "currency":
		return currencyUnit(m.Currency)
	case hoursName.MatchString(m.Name):
		return "h"
	case secondsName.MatchString(m.Name):
		return "s"
	}
	return "short"
}

// decimalsOf: counts need no rule (Grafana prints integers without decimals); currency none,
// since Grafana scales it ($1.2K) and 0 decimals would round that to $1K.
func decimalsOf(unit string) *uint16 {
	var d uint16
	switch unit {
	case "percent", "h":
		d = 1
	case "s":
		d = 0
	default:
		return nil
	}
	return &d
}

// ThresholdsOf makes threshold steps from bands: the lowest band from -Infinity, then one step per band start.
func ThresholdsOf(b Benchmark) *data.ThresholdsConfig {
	bands, _ := b["bands"].([]any)
	steps := make([]data.Threshold, 0, len(bands))
	for i, item := range bands {
		band := item.(map[string]any)
		value := math.Inf(-1)
		if i > 0 {
			value, _ = band["from"].(float64)
		}
		steps = append(steps, data.Threshold{Value: data.ConfFloat64(value), Color: bandColors[band["label"].(string)]})
	}
	return &data.ThresholdsConfig{Mode: data.ThresholdsModeAbsolute, Steps: steps}
}

// FieldConfigOf is a measure's field config: unit, decimals, range and, for benchmarked KPIs,
// thresholds (plugin/src/datasource/fieldConfig.ts fieldConfigOf).
func FieldConfigOf(m Member) *data.FieldConfig {
	unit := UnitOf(m)
	custom := map[string]any{"member": m.Name}
	if m.Benchmark != nil {
		custom["benchmark"] = m.Benchmark
	}
	if len(m.Needs) > 0 {
		custom["needs"] = m.Needs
	}
	config := &data.FieldConfig{
		DisplayNameFromDS: m.Title,
		Unit:              unit,
		Custom:            custom,
		Decimals:          decimalsOf(unit),
		Description:       describeBenchmark(m),
	}
	if unit == "percent" {
		zero, hundred := data.ConfFloat64(0), data.ConfFloat64(100)
		config.Min, config.Max = &zero, &hundred
	}
	if HasBands(m.Benchmark) {
		config.Thresholds = ThresholdsOf(m.Benchmark)
		config.Color = map[string]any{"mode": "thresholds"}
	}
	return config
}

func describeBenchmark(m Member) string {
	parts := []string{}
	if m.Description != "" {
		parts = append(parts, m.Description)
	}
	if HasBands(m.Benchmark) {
		better := "lower is better"
		if m.Benchmark["direction"] == "higher_is_better" {
			better = "higher is better"
		}
		if context, _ := m.Benchmark["context"].(string); context != "" {
			better += "; " + context
		}
		source, _ := m.Benchmark["source"].(string)
		parts = append(parts, "Benchmark ("+better+"): "+source)
	} else if m.Benchmark != nil {
		reason, _ := m.Benchmark["reason"].(string)
		parts = append(parts, "No benchmark: "+reason)
	}
	return strings.Join(parts, "\n")
}
