//go:build race

package documents_test

const raceDetector = true
