# Point the provider at the Box API emulator (box-emulator -seed, installed
# with go install as shown above). The same works with
# BOX_API_BASE_URL=http://127.0.0.1:8090 and BOX_ACCESS_TOKEN=dev-token.
# Plain http:// is accepted only for loopback hosts.
provider "box" {
  api_base_url    = "http://127.0.0.1:8090"
  access_token    = "dev-token"
  max_retries     = 2
  request_timeout = "30s"
}
