package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/scs-project/scs/parser/segment"
)

func main() {
	s, err := segment.New()
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	for _, t := range os.Args[1:] {
		fmt.Println(strings.Join(s.Cut(t), "/"))
		fmt.Println(strings.Join(s.CutSearch(t), "/"))
	}
}
