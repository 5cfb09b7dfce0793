package imports

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"carebook/crm"
	"carebook/store/xlsx"
)

// cellText is a cell's text, trimmed; a number without text shows as Go prints it.
func cellText(c crm.ImportCell) string {
	if c.Kind == crm.CellNumber && c.Text == "" {
		return strconv.FormatFloat(c.Number, 'f', -1, 64)
	}
	return trimSpace(c.Text)
}

// trimSpace is strings.TrimSpace, fast for the common text that needs no trimming (a text
// starting with a Chinese character sends strings.TrimSpace down its slow path).
func trimSpace(s string) string {
	if s == "" {
		return s
	}
	first, last := s[0], s[len(s)-1]
	if first > ' ' && first < 0x80 && last > ' ' && last < 0x80 {
		return s
	}
	if first >= 0x80 && last >= 0x80 {
		r, _ := utf8.DecodeRuneInString(s)
		l, _ := utf8.DecodeLastRuneInString(s)
		if !unicode.IsSpace(r) && !unicode.IsSpace(l) {
			return s
		}
	}
	return strings.TrimSpace(s)
}

// numberText is the text of a whole number: a CellNumber 13812345678 or 1001 as its digits,
// whatever format the file showed it in (1.38123E+10), else the cell's text.
func numberText(c crm.ImportCell) string {
	if c.Kind == crm.CellNumber && c.Number == math.Trunc(c.Number) && math.Abs(c.Number) < 1e15 {
		return strconv.FormatInt(int64(c.Number), 10)
	}
	return cellText(c)
}

// blanks are texts that mean "nothing" in a structured column (phone, date, tier…).
var blanks = map[string]bool{"-": true, "--": true, "—": true, "/": true, "无": true, "暂无": true, "無": true,
	"n/a": true, "na": true, "null": true, "none": true, "nil": true}

// isBlank reports whether a structured cell's text is empty or a placeholder.
func isBlank(s string) bool {
	return s == "" || len(s) <= 6 && blanks[strings.ToLower(s)]
}

// valueTable maps normalised texts to a coded value.
type valueTable map[string]string

// newValueTable builds a table from store/xlsx's values (key, Chinese and English text) and
// synonyms (value key → texts).
func newValueTable(vs []xlsx.Value, synonyms map[string][]string) valueTable {
	t := valueTable{}
	for _, v := range vs {
		for _, s := range []string{v.Key, v.Zh, v.En} {
			t[normalizeValue(s)] = v.Key
		}
	}
	for k, ss := range synonyms {
		for _, s := range ss {
			n := normalizeValue(s)
			if old, ok := t[n]; ok && old != k {
				panic(fmt.Sprintf("imports: value %q of %s and %s", s, old, k))
			}
			t[n] = k
		}
	}
	return t
}

// normalizeValue folds a coded value for matching: full-width to ASCII, lower case, no spaces.
func normalizeValue(s string) string {
	s = foldText(s)
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		plain = s[i] != ' ' && (s[i] < 'A' || s[i] > 'Z') && s[i] < 0x80
	}
	if plain {
		return s
	}
	return strings.ToLower(strings.ReplaceAll(s, " ", ""))
}

// lookup returns the value of text; ok is false when the table lacks it.
func (t valueTable) lookup(text string) (string, bool) {
	v, ok := t[normalizeValue(text)]
	return v, ok
}

// Value tables of PRODUCT.md §5 with the synonyms people write.
var (
	genderTable = newValueTable(xlsx.GenderValues, map[string][]string{
		"male":    {"M", "男性", "男士", "先生", "Man", "Boy"},
		"female":  {"F", "女性", "女士", "小姐", "太太", "Woman", "Girl"},
		"unknown": {"U", "保密", "不详", "不明", "其他", "其它", "Other", "N/A"},
	})
	tierTable = newValueTable(xlsx.TierValues, map[string][]string{
		"vip":      {"VIP客户", "贵宾", "A", "A类", "A级"},
		"major":    {"重要客户", "重点", "重点客户", "主要", "Key", "Important", "B", "B类", "B级"},
		"ordinary": {"普通客户", "一般", "一般客户", "Normal", "Regular", "Standard", "C", "C类", "C级"},
		"small":    {"小客户", "次要", "Minor", "Low", "D", "D类", "D级"},
	})
	yesNoTable = newValueTable(xlsx.YesNoValues, map[string][]string{
		"yes": {"Y", "True", "1", "√", "✓", "✔", "对", "是的", "免打扰"},
		"no":  {"N", "False", "0", "×", "✗", "不", "不是"},
	})
	recordKindTable = newValueTable(xlsx.RecordKindValues, map[string][]string{
		"routine":    {"常规", "维护", "日常维护", "回访", "跟进", "Maintenance", "Follow-up", "Followup"},
		"greeting":   {"祝福", "节日问候", "生日祝福", "Greetings"},
		"invitation": {"邀请", "Invite"},
		"service":    {"售后", "Services", "After sales"},
		"complaint":  {"投诉", "客户投诉", "Complaints"},
		"recall":     {"唤醒", "挽回", "Win back", "Winback"},
		"other":      {"其它"},
	})
	recordChannelTable = newValueTable(xlsx.RecordChannelValues, map[string][]string{
		"phone":  {"打电话", "通话", "电话沟通", "Call", "Tel", "Telephone"},
		"sms":    {"信息", "Text", "Message"},
		"wechat": {"WX", "Weixin", "微信沟通", "微信聊天"},
		"visit":  {"面访", "拜访", "上门", "到店", "见面", "当面", "面对面", "In person", "Meeting"},
		"email":  {"电子邮件", "E-mail", "Mail", "邮箱"},
		"other":  {"其它"},
	})
	saleChannelTable = newValueTable(xlsx.SaleChannelValues, map[string][]string{
		"online":  {"网上", "网店", "网络", "电商", "网购", "Web", "Internet", "E-commerce"},
		"offline": {"门店", "店内", "实体店", "到店", "店铺", "In store", "Store", "Shop"},
	})
)

// splitList splits a cell holding several phones, tags or important dates at ; , ， 、 ；
// (and new lines), dropping empty entries.
func splitList(s string) []string {
	if !strings.ContainsAny(s, ";,，、；\n") {
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		return []string{s}
	}
	return splitAny(s, ";,，、；\n")
}

// splitPhones is splitList, also at / (138…/139…).
func splitPhones(s string) []string {
	if !strings.ContainsAny(s, ";,，、；\n/") {
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		return []string{s}
	}
	return splitAny(s, ";,，、；\n/")
}

func splitAny(s, seps string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// cnMobileValid caches, per five-digit prefix 1abcd of an 11-digit Chinese mobile number,
// whether crm.NormalizePhone accepts the numbers that start with it (0 unknown, 1 valid, 2
// invalid): the number plan decides on at most the first five digits (the mobile pattern is
// 1740[0-5]\d{6}|1(?:[38]\d|4[57]|…)\d{8}), and parsing a number takes some 20 µs.
var cnMobileValid [10000]atomic.Uint32

// normalizePhone is crm.NormalizePhone, with a fast path for Chinese mobile numbers as people
// and the export write them: "13812345678", "138 1234 5678", "138-1234-5678", "+86 138…".
func normalizePhone(s string) (string, error) {
	var buf [16]byte
	n, ok := 0, true
	t := strings.TrimSpace(s)
	t = strings.TrimPrefix(t, "+86")
	for i := 0; i < len(t) && ok; i++ {
		switch c := t[i]; {
		case c >= '0' && c <= '9':
			if n == len(buf) {
				ok = false
				break
			}
			buf[n] = c
			n++
		case c == ' ' || c == '-':
		default:
			ok = false
		}
	}
	// 11 digits 1[3-9]…; not 179…, a carrier prefix (17951…) the parser may strip.
	if ok && n == 11 && buf[0] == '1' && buf[1] >= '3' && !(buf[1] == '7' && buf[2] == '9') {
		slot := &cnMobileValid[int(buf[1]-'0')*1000+int(buf[2]-'0')*100+int(buf[3]-'0')*10+int(buf[4]-'0')]
		switch slot.Load() {
		case 1:
			return "+86" + string(buf[:n]), nil
		case 2:
			return "", fmt.Errorf("normalize phone %q: %w", s, errNotPhone)
		}
		e164, err := crm.NormalizePhone(string(buf[:n]))
		if err != nil {
			slot.Store(2)
			return "", err
		}
		slot.Store(1)
		return e164, nil
	}
	return crm.NormalizePhone(s)
}

var errNotPhone = errors.New("not a valid phone number")

// parseAmount reads an amount in yuan: a number cell (1280.5 → 128050 fen exactly: the number's
// shortest decimal form, or the nearest fen when a formula left a float tail such as
// 99.99000000000001), or text crm.ParseMoney reads ("¥1,280.00", "1280元").
func parseAmount(c crm.ImportCell) (crm.Money, error) {
	if c.Kind == crm.CellNumber || c.Kind == crm.CellDate {
		n := c.Number
		if math.IsNaN(n) || math.IsInf(n, 0) || n < 0 {
			return 0, fmt.Errorf("parse amount %v: not an amount", n)
		}
		if m, err := crm.ParseMoney(strconv.FormatFloat(n, 'f', -1, 64)); err == nil {
			return m, nil
		}
		fen := n * 100
		r := math.Round(fen)
		if r <= float64(crm.MaxMoney)*10 && math.Abs(fen-r) <= 1e-6*math.Max(1, r) {
			return crm.Money(r), nil
		}
		return 0, fmt.Errorf("parse amount %v: more than two decimals", n)
	}
	m, err := crm.ParseMoney(foldText(c.Text))
	if err != nil {
		return 0, fmt.Errorf("parse amount: %w", err)
	}
	return m, nil
}

// parseScale reads a 1–5 score: a whole number (cell or text); empty → 0 (not assessed).
func parseScale(c crm.ImportCell) (int, bool) {
	s := numberText(c)
	if isBlank(s) {
		return 0, true
	}
	n, err := strconv.Atoi(foldText(s))
	if err != nil {
		return 0, false
	}
	return n, true
}
