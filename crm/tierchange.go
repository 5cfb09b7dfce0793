package crm

// TierChange is a customer whose suggested tier (PRODUCT.md §2, 二八法则) differs from its own:
// what applying the suggestion would change.
type TierChange struct {
	ID           int64
	Code         string
	Name, Remark string
	From, To     Tier
	M            Money // the amount of the last RFMDays the suggestion rests on
}

// TierMove is how many changes go from one tier to another.
type TierMove struct {
	From, To Tier
	Count    int
}

// TierMoves counts changes by their tiers, ordered as Tiers orders them (from, then to); moves
// without changes are left out.
func TierMoves(changes []TierChange) []TierMove {
	var counts [4][4]int
	for _, c := range changes {
		f, t := c.From.Rank(), c.To.Rank()
		if f >= 0 && f < len(Tiers) && t >= 0 && t < len(Tiers) {
			counts[f][t]++
		}
	}
	var out []TierMove
	for f := range Tiers {
		for t := range Tiers {
			if n := counts[f][t]; n > 0 {
				out = append(out, TierMove{Tiers[f], Tiers[t], n})
			}
		}
	}
	return out
}
