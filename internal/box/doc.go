// Package box is a small Box API client for the Terraform provider: Box
// Sign requests and templates, folders, files and the current user.
//
// It knows nothing of Terraform. Debug logging goes through Config.Logger
// (the provider routes it to tflog at DEBUG); every message is redacted in
// the transport first (see redact.go): the Authorization header, token
// request and response bodies, signer passwords and phone numbers, and
// signing (embed) URLs.
//
// Behaviour worth knowing:
//   - Auth: one access token per Client, fetched lazily by one caller while
//     the others wait, renewed 60 s (or 10% of its lifetime) before expiry,
//     and renewed once more after a 401. Developer tokens are used as is.
//   - Retries (go-retryablehttp): 429 honouring Retry-After; 5xx and network
//     errors with capped exponential backoff and jitter; at most
//     Config.MaxRetries retries. Every wait stops when the context ends.
//   - Sign request writes (create, resend) are held back until a 429's
//     Retry-After has passed, for every caller of the Client.
//   - CreateSignRequest never sends a request twice: it resends only when
//     the POST certainly had no effect (429, connection refused); after an
//     ambiguous failure it lists recent sign requests and adopts the one
//     that matches what it sent.
package box
