package report

import (
	"testing"
)

func TestUpstreamLookupAndRanks(t *testing.T) {
	r := mixedReport()
	if u := r.Upstream("orders"); u == nil || u.Name != "orders" {
		t.Errorf("Upstream(orders) = %v", u)
	}
	if r.Upstream("nope") != nil {
		t.Error("Upstream(nope) != nil")
	}
	if !(StatusRank(Healthy) < StatusRank(Degraded) && StatusRank(Degraded) < StatusRank(Unhealthy)) {
		t.Error("StatusRank order")
	}
	if WorstStatus("", Healthy) != Healthy || WorstStatus(Degraded, Healthy) != Degraded {
		t.Error("WorstStatus")
	}
	if k := r.Upstream("edge").PrimaryFinding(); r.Upstream("edge").Findings[k].Code != "gateway.bad_gateway" {
		t.Error("PrimaryFinding must prefer the fail finding over dependency.unhealthy")
	}
}
