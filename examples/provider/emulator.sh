# Install the emulator (use the provider's version instead of latest to match
# it), then start it with a demo folder, PDF files and templates.
go install github.com/box/terraform-provider-box/internal/cmd/box-emulator@latest
box-emulator -seed &

# Then point the provider at it.
export BOX_API_BASE_URL=http://127.0.0.1:8090
export BOX_ACCESS_TOKEN=dev-token
terraform apply
