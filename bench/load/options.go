package load

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/bench/gen"
)

// Default credentials: the owner the data generator creates.
const (
	DefaultUsername = gen.DefaultUserPrefix + "-owner"
	DefaultPassword = gen.DefaultPassword
)

// Options are the settings of one harness invocation.
type Options struct {
	DatabaseURL string // the database of the in-process server
	URL         string // an already running server (loopback only); empty starts one in-process
	Username    string // the owner who reads (and creates the writers)
	Password    string
	Generate    string // generate data of this scale before measuring (small, medium, large)

	Concurrency      int           // connections of the read scenarios (and login)
	WriteConcurrency int           // connections of time-entry create
	Duration         time.Duration // measured time of one run of one scenario
	Warmup           time.Duration // unmeasured time before each run of each scenario
	Runs             int           // runs per scenario; figures are their medians
	Scenarios        []string      // names to run; empty runs all
	Writers          int           // users that time-entry create rotates through
	WriterPassword   string        // password of the writers the harness creates
	Hours            string        // hours of each created time entry
	MaxDisturbance   float64       // a run in which other processes used more of the CPU is repeated
	Retries          int           // how often a disturbed run is repeated at most
	SearchTerms      string        // what the client search looks for: "words" of names or whole "names"

	CPUProfile      string // write a CPU profile of ProfileScenario's first run here
	ProfileScenario string // scenario profiled by CPUProfile ("all": the whole measurement)
	PprofAddr       string // serve net/http/pprof on this loopback address while running
	LogDir          string // log directory of the in-process server; empty: a temporary one
	NoLogs          bool   // discard the in-process server's logs instead
	ResponseCacheMB string // RESPONSE_CACHE_MB of the in-process server ("0" measures without the cache)
	RedisURL        string // REDIS_URL of the in-process server (PostgreSQL needs it for the cache)

	fastPasswords bool // tests only: cheap password hashing in the in-process server
}

// ParseOptions reads the command line.
func ParseOptions(args []string, stderr io.Writer) (Options, error) {
	var o Options
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.DatabaseURL, "database-url", "", "database of the in-process server: sqlite:path.db or postgres://... (loopback)")
	fs.StringVar(&o.URL, "url", "", "target this running server instead (http://127.0.0.1:PORT; loopback only)")
	fs.StringVar(&o.Username, "username", DefaultUsername, "owner to log in as")
	fs.StringVar(&o.Password, "password", DefaultPassword, "the owner's password")
	fs.StringVar(&o.Generate, "generate", "", "unless the owner can log in already, generate a firm of this scale first with bench/gen: tiny, small, medium, large or clients (in-process only)")
	fs.IntVar(&o.Concurrency, "concurrency", 64, "connections of the read scenarios and login")
	fs.IntVar(&o.WriteConcurrency, "write-concurrency", 16, "connections of time-entry create")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "measured duration of each run of each scenario")
	fs.DurationVar(&o.Warmup, "warmup", time.Second, "unmeasured warm-up before each run of each scenario")
	fs.IntVar(&o.Runs, "runs", 3, "runs per scenario (figures are medians)")
	scenarios := fs.String("scenarios", "", "comma-separated scenarios to run (default all): "+strings.Join(ScenarioNames(), ", "))
	fs.IntVar(&o.Writers, "writers", 16, "users time-entry create rotates through (created as consultants when missing)")
	fs.StringVar(&o.WriterPassword, "writer-password", "tangerine voltage harbour 7731", "password of the writer users")
	fs.StringVar(&o.SearchTerms, "search-terms", SearchWords, "what client-search looks for: "+SearchWords+" (one word of each name: many clients each) or "+SearchNames+" (each whole name: the client and few others)")
	fs.StringVar(&o.Hours, "hours", "0.25", "hours of each created time entry")
	fs.Float64Var(&o.MaxDisturbance, "max-disturbance", 0.10, "repeat a run in which processes other than the harness, its server and PostgreSQL used more than this share of the machine's CPU (Linux only)")
	fs.IntVar(&o.Retries, "retries", 2, "how often a disturbed run is repeated at most (it is kept, flagged, after that)")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write a CPU profile of the first run of -profile-scenario to this file")
	fs.StringVar(&o.ProfileScenario, "profile-scenario", ScenarioProjects, "scenario to profile, or all")
	fs.StringVar(&o.PprofAddr, "pprof", "", "serve net/http/pprof on this loopback address, e.g. 127.0.0.1:6060")
	fs.StringVar(&o.LogDir, "log-dir", "", "log directory of the in-process server (default: a temporary directory)")
	fs.BoolVar(&o.NoLogs, "no-logs", false, "discard the in-process server's logs")
	fs.StringVar(&o.ResponseCacheMB, "response-cache-mb", "", "RESPONSE_CACHE_MB of the in-process server (default: the server's; 0 measures without the list cache)")
	fs.StringVar(&o.RedisURL, "redis-url", "", "REDIS_URL of the in-process server (on PostgreSQL the list cache needs it)")
	if err := fs.Parse(args); err != nil {
		return Options{}, err
	}
	if fs.NArg() > 0 {
		return Options{}, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if *scenarios != "" {
		for _, s := range strings.Split(*scenarios, ",") {
			if s = strings.TrimSpace(s); s != "" {
				o.Scenarios = append(o.Scenarios, s)
			}
		}
	}
	return o, o.validate()
}

// validate checks the options against each other.
func (o Options) validate() error {
	var errs []error
	if (o.DatabaseURL == "") == (o.URL == "") {
		errs = append(errs, errors.New("give exactly one of --database-url (in-process server) or --url (running server)"))
	}
	if o.URL != "" {
		if err := checkLoopback(o.URL); err != nil {
			errs = append(errs, err)
		}
		if o.Generate != "" {
			errs = append(errs, errors.New("--generate needs --database-url"))
		}
	}
	if o.SearchTerms != SearchWords && o.SearchTerms != SearchNames {
		errs = append(errs, fmt.Errorf("--search-terms must be %s or %s", SearchWords, SearchNames))
	}
	if o.Concurrency < 1 || o.WriteConcurrency < 1 || o.Runs < 1 || o.Writers < 1 {
		errs = append(errs, errors.New("--concurrency, --write-concurrency, --runs and --writers must be at least 1"))
	}
	if o.Retries < 0 || o.MaxDisturbance <= 0 || o.MaxDisturbance > 1 {
		errs = append(errs, errors.New("--retries must not be negative and --max-disturbance must be in (0, 1]"))
	}
	if o.Duration <= 0 || o.Warmup < 0 {
		errs = append(errs, errors.New("--duration must be positive and --warmup not negative"))
	}
	for _, s := range o.Scenarios {
		if !knownScenario(s) {
			errs = append(errs, fmt.Errorf("unknown scenario %q (known: %s)", s, strings.Join(ScenarioNames(), ", ")))
		}
	}
	if o.ProfileScenario != "all" && !knownScenario(o.ProfileScenario) {
		errs = append(errs, fmt.Errorf("unknown --profile-scenario %q", o.ProfileScenario))
	}
	if o.PprofAddr != "" {
		if err := checkLoopback("http://" + o.PprofAddr); err != nil {
			errs = append(errs, fmt.Errorf("--pprof: %w", err))
		}
	}
	return errors.Join(errs...)
}
