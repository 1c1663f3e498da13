# Start the emulator with a demo folder, PDF files and templates.
go run ./internal/cmd/box-emulator -seed &

# Then point the provider at it.
export BOX_API_BASE_URL=http://127.0.0.1:8090
export BOX_ACCESS_TOKEN=dev-token
terraform apply
