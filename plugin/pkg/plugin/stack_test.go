package plugin

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// examplesStack is the JSON line `npm run examples-stack` prints once its warehouse (the
// worked-example tenants of DESIGN.md) and Cube are up (contract/src/examples-stack.ts).
type examplesStack struct {
	CubeURL        string            `json:"cubeUrl"`
	WarehouseURL   string            `json:"warehouseUrl"`
	WorkedExamples map[string]string `json:"workedExamples"`
	Tokens         map[string]string `json:"tokens"`
	ForgedToken    string            `json:"forgedToken"`
}

// stack is the one examples stack of this package's test run (TestMain).
var stack examplesStack

const stackStartTimeout = 170 * time.Second

// TestMain starts the project's own stack once for every live test of the package, as a
// separate process that stops when its stdin closes, and stops it afterwards.
func TestMain(m *testing.M) {
	stop, err := startExamplesStack()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	stop()
	os.Exit(code)
}

func startExamplesStack() (func(), error) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		return nil, err
	}
	pgPort := os.Getenv("TEST_PG_PORT")
	if pgPort == "" {
		pgPort = "54339"
	}
	dataDir := os.Getenv("TEST_DATA_DIR")
	if dataDir == "" {
		dataDir = filepath.Join(root, ".data/test")
	}
	if !filepath.IsAbs(dataDir) {
		dataDir = filepath.Join(root, dataDir)
	}
	cmd := exec.Command("npm", "run", "--silent", "examples-stack")
	cmd.Dir = root
	// Its own cluster folder: the TypeScript live tests keep theirs in plugin-live.
	cmd.Env = append(os.Environ(), "PG_PORT="+pgPort, "DATA_DIR="+filepath.Join(dataDir, "go-live"))
	var logs bytes.Buffer
	cmd.Stderr = &logs
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start npm run examples-stack: %w", err)
	}
	exited := make(chan error, 1)
	found := make(chan examplesStack, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		scanner.Buffer(make([]byte, 1<<20), 1<<20)
		for scanner.Scan() {
			var s examplesStack
			if line := scanner.Text(); strings.HasPrefix(line, "{") && json.Unmarshal([]byte(line), &s) == nil && s.CubeURL != "" {
				found <- s
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = stdin.Close()
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}
	select {
	case stack = <-found:
		return stop, nil
	case err := <-exited:
		return nil, fmt.Errorf("the examples stack exited (%v) before it was up:\n%s", err, logs.String())
	case <-time.After(stackStartTimeout):
		stop()
		return nil, fmt.Errorf("the examples stack printed no description within %v:\n%s", stackStartTimeout, logs.String())
	}
}
