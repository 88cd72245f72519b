package cube

import "time"

// TimeRange is a dashboard's (or an alert rule's) range.
type TimeRange struct {
	From time.Time
	To   time.Time
}

var fixedPeriods = map[string]time.Duration{
	"second": time.Second, "minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour,
}

// PeriodStart is the first instant (UTC) of the period of the granularity that contains t.
// A port of contract/src/whole-periods.ts periodStart: ISO weeks start on Monday, as Cube's do.
func PeriodStart(t time.Time, granularity string) time.Time {
	t = t.UTC()
	if d, ok := fixedPeriods[granularity]; ok {
		ms := d.Milliseconds()
		return time.UnixMilli(floorDiv(t.UnixMilli(), ms) * ms).UTC()
	}
	switch granularity {
	case "week":
		day := PeriodStart(t, "day")
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	case "month":
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	case "quarter":
		return time.Date(t.Year(), t.Month()-(t.Month()-1)%3, 1, 0, 0, 0, 0, time.UTC)
	default:
		return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// addPeriods moves a period start by n periods of the granularity.
func addPeriods(start time.Time, granularity string, n int) time.Time {
	if d, ok := fixedPeriods[granularity]; ok {
		return start.Add(time.Duration(n) * d)
	}
	switch granularity {
	case "week":
		return start.AddDate(0, 0, 7*n)
	case "month":
		return start.AddDate(0, n, 0)
	case "quarter":
		return start.AddDate(0, 3*n, 0)
	default:
		return start.AddDate(n, 0, 0)
	}
}

// WholePeriods widens a range to whole periods of the granularity ("day" when it has none),
// as contract/src/whole-periods.ts wholePeriods: every point is a whole period, and the range
// lines up with the model's daily and monthly rollups.
func WholePeriods(r TimeRange, granularity string) TimeRange {
	if granularity == "" {
		granularity = "day"
	}
	return TimeRange{
		From: PeriodStart(r.From, granularity),
		To:   addPeriods(PeriodStart(r.To, granularity), granularity, 1).Add(-time.Millisecond),
	}
}

// CompletePeriods is the range a panel judges with periods "complete": the whole periods of the
// range that have ended before now. When none has, the single last complete period, so a tile
// never shows an empty or partial period.
func CompletePeriods(r TimeRange, granularity string, now time.Time) TimeRange {
	whole := WholePeriods(r, granularity)
	current := PeriodStart(now, granularity)
	lastEnd := current.Add(-time.Millisecond)
	if whole.To.After(lastEnd) {
		whole.To = lastEnd
	}
	if whole.To.Before(whole.From) {
		return TimeRange{From: addPeriods(current, granularity, -1), To: lastEnd}
	}
	return whole
}

// CubeDateTime is how a range bound is sent: Cube reads it as a local time in the query's
// timezone, so it carries no zone ("2025-03-31T23:59:59.999").
func CubeDateTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000")
}
