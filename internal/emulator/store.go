package emulator

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// state is everything the emulator knows. It is plain data so that -data can
// write it as one JSON document and read it back on the next start.
type state struct {
	NextID             int64                     `json:"next_id"`
	NextSeq            int64                     `json:"next_seq"`
	ServiceAccountID   string                    `json:"service_account_id"`
	ServiceAccountMail string                    `json:"service_account_login"`
	Tokens             map[string]*token         `json:"tokens"`
	UsedJTIs           map[string]time.Time      `json:"used_jtis"` // jti → exp, pruned once expired
	Folders            map[string]*folder        `json:"folders"`
	Files              map[string]*file          `json:"files"`
	SignRequests       map[string]*signRequest   `json:"sign_requests"`
	Templates          map[string]*template      `json:"templates"`
	Collaborations     map[string]*collaboration `json:"collaborations"`
	Emails             []email                   `json:"emails"`
	SMS                []sms                     `json:"sms"`
	RateWindows        map[string][]time.Time    `json:"rate_windows"` // user → recent create/resend times
	Seed               *SeedInfo                 `json:"seed,omitempty"`
	Hooks              *webhookState             `json:"webhooks,omitempty"` // made on first use (webhooks.go)
}

type token struct {
	UserID    string    `json:"user_id"`
	ExpiresAt time.Time `json:"expires_at"`
}

// email is one message in the log that GET /_emulator/emails shows: to a
// signer about a sign request, or to a collaborator about a collaboration.
type email struct {
	To              string    `json:"to"`
	Kind            string    `json:"kind"`
	SignRequestID   string    `json:"sign_request_id"`
	CollaborationID string    `json:"collaboration_id,omitempty"`
	SentAt          time.Time `json:"sent_at"`
}

type sms struct {
	To            string    `json:"to"`
	Code          string    `json:"code"`
	SignRequestID string    `json:"sign_request_id"`
	SignerEmail   string    `json:"signer_email"`
	SentAt        time.Time `json:"sent_at"`
}

// firstID is where numeric item IDs start. Box IDs are numeric strings of
// about 10–12 digits; starting high makes them look the part.
const firstID = 1000000000

func newState() *state {
	return &state{
		NextID:         firstID,
		NextSeq:        1,
		Tokens:         map[string]*token{},
		UsedJTIs:       map[string]time.Time{},
		Folders:        map[string]*folder{},
		Files:          map[string]*file{},
		SignRequests:   map[string]*signRequest{},
		Templates:      map[string]*template{},
		Collaborations: map[string]*collaboration{},
		RateWindows:    map[string][]time.Time{},
	}
}

// fillMaps makes a state read from an older or hand-written file usable.
func (s *state) fillMaps() {
	if s.Tokens == nil {
		s.Tokens = map[string]*token{}
	}
	if s.UsedJTIs == nil {
		s.UsedJTIs = map[string]time.Time{}
	}
	if s.Folders == nil {
		s.Folders = map[string]*folder{}
	}
	if s.Files == nil {
		s.Files = map[string]*file{}
	}
	if s.SignRequests == nil {
		s.SignRequests = map[string]*signRequest{}
	}
	if s.Templates == nil {
		s.Templates = map[string]*template{}
	}
	if s.Collaborations == nil {
		s.Collaborations = map[string]*collaboration{}
	}
	for _, t := range s.Templates {
		// Data files from before templates had owners: the holding
		// folder's owner, as a template made there would have.
		if f := s.Folders[t.ParentFolderID]; t.OwnerID == "" && f != nil {
			t.OwnerID = f.OwnerID
		}
	}
	if s.RateWindows == nil {
		s.RateWindows = map[string][]time.Time{}
	}
	if s.NextID < firstID {
		s.NextID = firstID
	}
	if s.NextSeq < 1 {
		s.NextSeq = 1
	}
}

// newID hands out the next numeric item ID.
func (s *state) newID() string {
	id := s.NextID
	s.NextID++
	return strconv.FormatInt(id, 10)
}

// seq orders objects by creation, for stable "newest first" listings.
func (s *state) seq() int64 {
	n := s.NextSeq
	s.NextSeq++
	return n
}

func loadState(path string) (*state, error) {
	b, err := os.ReadFile(path) //nolint:gosec // G304: the state file the emulator's operator names (box-emulator -data)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	s := &state{}
	if err := json.Unmarshal(b, s); err != nil {
		return nil, fmt.Errorf("emulator: reading %s: %w", path, err)
	}
	s.fillMaps()
	return s, nil
}

// saveState writes the state next to path and renames it into place, so a
// crash mid-write never leaves a truncated data file.
func saveState(path string, s *state) error {
	b, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range b {
		v, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(err)
		}
		b[i] = alphabet[v.Int64()]
	}
	return string(b)
}
