module carebook

go 1.26.8

require github.com/mozillazg/go-pinyin v0.21.0
