package crm

import (
	"fmt"
	"strings"
)

// FieldError says what is wrong with one field of a form. Key is a translation key (e.g.
// "err.required"); Args fill its placeholders. The UI shows the translated text next to Field.
type FieldError struct {
	Field string         // e.g. "name", "phones[1]", "dates[0].day"
	Key   string         // translation key
	Args  map[string]any // placeholder values
}

func (e FieldError) Error() string {
	if len(e.Args) == 0 {
		return fmt.Sprintf("%s: %s", e.Field, e.Key)
	}
	return fmt.Sprintf("%s: %s %v", e.Field, e.Key, e.Args)
}

// Errors collects the field errors of a whole form. A nil Errors means the form is valid.
type Errors []FieldError

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return "invalid: " + strings.Join(parts, "; ")
}

// For returns the first error of field, or nil.
func (es Errors) For(field string) *FieldError {
	for i := range es {
		if es[i].Field == field {
			return &es[i]
		}
	}
	return nil
}

// Err returns es as an error, or nil when it is empty (so a nil Errors never becomes a non-nil
// error interface).
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}
