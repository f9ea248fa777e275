// Package iostreams is the only route to the terminal: standard input,
// output and error, whether each is a terminal, the colour decision
// (--color, NO_COLOR) and progress on stderr (ARCHITECTURE habit 6).
//
// It imports nothing of updoc's.
package iostreams
