//go:build !race

package documents_test

// raceDetector reports whether the tests run with -race, whose shadow memory would swamp a
// memory measurement.
const raceDetector = false
