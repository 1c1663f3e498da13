package reliability

import "strings"

// invalidCase is a configuration that must fail at plan time with a
// diagnostic naming attr.
type invalidCase struct {
	name string
	attr string // text the diagnostic must contain: the attribute's name or path
	body string // resource body (resource cases) or provider lines (provider cases)
}

const oneSigner = "signer {\n  email = \"a@example.com\"\n}\n"

// resourceCases are invalid box_sign_request blocks; {file} is a real file
// ID. Every validator, conflict and type of the schema is here at least
// once.
var resourceCases = []invalidCase{
	{"no signer", "signer", `source_file_ids = ["{file}"]`},
	{"too many signers (36)", "signer", `source_file_ids = ["{file}"]` + "\n" + strings.Repeat(oneSigner, 36)},
	{"no documents", "source_file_ids", oneSigner},
	{"empty source_file_ids", "source_file_ids", "source_file_ids = []\n" + oneSigner},
	{"too many files (11)", "source_file_ids", `source_file_ids = ["1","2","3","4","5","6","7","8","9","10","11"]` + "\n" + oneSigner},
	{"non-numeric file ID", "source_file_ids", `source_file_ids = ["abc"]` + "\n" + oneSigner},
	{"empty file ID", "source_file_ids", `source_file_ids = [""]` + "\n" + oneSigner},
	{"file IDs as a string", "source_file_ids", `source_file_ids = "{file}"` + "\n" + oneSigner},
	{"empty template_id", "template_id", `template_id = ""` + "\n" + oneSigner},
	{"root parent folder", "parent_folder_id", `source_file_ids = ["{file}"]` + "\nparent_folder_id = \"0\"\n" + oneSigner},
	{"non-numeric parent folder", "parent_folder_id", `source_file_ids = ["{file}"]` + "\nparent_folder_id = \"my-folder\"\n" + oneSigner},
	{"days_valid too high", "days_valid", `source_file_ids = ["{file}"]` + "\ndays_valid = 731\n" + oneSigner},
	{"days_valid negative", "days_valid", `source_file_ids = ["{file}"]` + "\ndays_valid = -1\n" + oneSigner},
	{"days_valid not a number", "days_valid", `source_file_ids = ["{file}"]` + "\ndays_valid = \"soon\"\n" + oneSigner},
	{"unknown signature_color", "signature_color", `source_file_ids = ["{file}"]` + "\nsignature_color = \"green\"\n" + oneSigner},
	{"redirect_url without scheme", "redirect_url", `source_file_ids = ["{file}"]` + "\nredirect_url = \"example.com/done\"\n" + oneSigner},
	{"declined_redirect_url not http", "declined_redirect_url", `source_file_ids = ["{file}"]` + "\ndeclined_redirect_url = \"ftp://example.com/\"\n" + oneSigner},
	{"empty name", "name", `source_file_ids = ["{file}"]` + "\nname = \"\"\n" + oneSigner},
	{"name too long", "name", `source_file_ids = ["{file}"]` + "\nname = \"" + strings.Repeat("n", 256) + "\"\n" + oneSigner},
	{"empty email_subject", "email_subject", `source_file_ids = ["{file}"]` + "\nemail_subject = \"\"\n" + oneSigner},
	{"empty email_message", "email_message", `source_file_ids = ["{file}"]` + "\nemail_message = \"\"\n" + oneSigner},
	{"empty external_id", "external_id", `source_file_ids = ["{file}"]` + "\nexternal_id = \"\"\n" + oneSigner},
	{"empty external_system_name", "external_system_name", `source_file_ids = ["{file}"]` + "\nexternal_system_name = \"\"\n" + oneSigner},
	{"reminders not a bool", "are_reminders_enabled", `source_file_ids = ["{file}"]` + "\nare_reminders_enabled = \"maybe\"\n" + oneSigner},
	{"unknown argument", "colour", `source_file_ids = ["{file}"]` + "\ncolour = \"blue\"\n" + oneSigner},
	{"signer without email", "email", `source_file_ids = ["{file}"]` + "\nsigner {\n  role = \"signer\"\n}\n"},
	{"malformed email", "signer[0].email", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"not-an-email\"\n}\n"},
	{"email with display name", "signer[0].email", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"Ann <a@example.com>\"\n}\n"},
	{"email without dotted domain", "signer[0].email", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"a@localhost\"\n}\n"},
	{"empty email", "signer[0].email", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"\"\n}\n"},
	{"unknown role", "signer[0].role", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"a@example.com\"\n  role  = \"witness\"\n}\n"},
	{"negative order", "signer[0].order", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"a@example.com\"\n  order = -1\n}\n"},
	{"order not a number", "order", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"a@example.com\"\n  order = \"first\"\n}\n"},
	{"phone without country code", "signer[0].verification_phone_number", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"a@example.com\"\n  verification_phone_number = \"555-1234\"\n}\n"},
	{"phone with spaces", "signer[0].verification_phone_number", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"a@example.com\"\n  verification_phone_number = \"+1 555 123 2190\"\n}\n"},
	{"phone too long", "signer[0].verification_phone_number", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"a@example.com\"\n  verification_phone_number = \"+1555123219012345\"\n}\n"},
	{"phone with login_required", "signer[0].login_required", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"a@example.com\"\n  login_required = true\n  verification_phone_number = \"+15551232190\"\n}\n"},
	{"password and password_wo", "signer[0].password", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"a@example.com\"\n  password = \"one-1234\"\n  password_wo = \"two-1234\"\n  password_wo_version = 1\n}\n"},
	{"password_wo without version", "signer[0].password_wo", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"a@example.com\"\n  password_wo = \"two-1234\"\n}\n"},
	{"password_wo_version without password_wo", "signer[0].password_wo_version", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"a@example.com\"\n  password_wo_version = 1\n}\n"},
	{"empty password", "signer[0].password", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"a@example.com\"\n  password = \"\"\n}\n"},
	{"unknown language", "signer[0].language", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"a@example.com\"\n  language = \"english\"\n}\n"},
	{"empty embed user ID", "signer[0].embed_url_external_user_id", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"a@example.com\"\n  embed_url_external_user_id = \"\"\n}\n"},
	{"signer redirect_url invalid", "signer[0].redirect_url", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"a@example.com\"\n  redirect_url = \"not a url\"\n}\n"},
	{"empty signer_group_id", "signer[0].signer_group_id", `source_file_ids = ["{file}"]` + "\nsigner {\n  email = \"a@example.com\"\n  signer_group_id = \"\"\n}\n"},
	{"second signer invalid", "signer[1].email", `source_file_ids = ["{file}"]` + "\n" + oneSigner + "signer {\n  email = \"b@\"\n}\n"},
	{"two prefill values", "prefill_tag[0]", `source_file_ids = ["{file}"]` + "\n" + oneSigner + "prefill_tag {\n  document_tag_id = \"t\"\n  text_value = \"x\"\n  checkbox_value = true\n}\n"},
	{"no prefill value", "prefill_tag[0]", `source_file_ids = ["{file}"]` + "\n" + oneSigner + "prefill_tag {\n  document_tag_id = \"t\"\n}\n"},
	{"prefill date not ISO", "prefill_tag[0].date_value", `source_file_ids = ["{file}"]` + "\n" + oneSigner + "prefill_tag {\n  document_tag_id = \"t\"\n  date_value = \"31/01/2035\"\n}\n"},
	{"empty prefill tag ID", "prefill_tag[0].document_tag_id", `source_file_ids = ["{file}"]` + "\n" + oneSigner + "prefill_tag {\n  document_tag_id = \"\"\n  text_value = \"x\"\n}\n"},
	{"bad create timeout", "create", `source_file_ids = ["{file}"]` + "\n" + oneSigner + "timeouts {\n  create = \"soon\"\n}\n"},
}

// providerCases are invalid provider blocks; {url} is the emulator. Each
// gets a valid resource, so only the provider can be at fault.
var providerCases = []invalidCase{
	{"max_retries too high", "max_retries", "access_token = \"t\"\nmax_retries = 21"},
	{"max_retries negative", "max_retries", "access_token = \"t\"\nmax_retries = -1"},
	{"request_timeout not a duration", "request_timeout", "access_token = \"t\"\nrequest_timeout = \"soon\""},
	{"request_timeout negative", "request_timeout", "access_token = \"t\"\nrequest_timeout = \"-5s\""},
	{"no credentials", "access_token", ""},
	{"token and client credentials", "client_id", "access_token = \"t\"\nclient_id = \"c\""},
	{"client_secret missing", "client_secret", "client_id = \"c\"\nenterprise_id = \"1000\""},
	{"no CCG subject", "enterprise_id", "client_id = \"c\"\nclient_secret = \"s\""},
	{"enterprise_id and user_id", "user_id", "client_id = \"c\"\nclient_secret = \"s\"\nenterprise_id = \"1\"\nuser_id = \"2\""},
	{"JWT config file missing", "jwt_config_file", "jwt_config_file = \"/nonexistent/box-config.json\""},
	{"JWT config not JSON", "jwt_config", "jwt_config = \"{not json\""},
	{"JWT config and file", "jwt_config", "jwt_config = \"{}\"\njwt_config_file = \"/nonexistent/box-config.json\""},
	{"plain http off loopback", "api_base_url", "access_token = \"t\"\napi_base_url = \"http://api.example.com\""},
	{"API URL without scheme", "api_base_url", "access_token = \"t\"\napi_base_url = \"api.box.com\""},
	{"upload URL plain http", "upload_base_url", "access_token = \"t\"\nupload_base_url = \"http://upload.example.com\""},
	{"CA file missing", "ca_cert_file", "access_token = \"t\"\nca_cert_file = \"/nonexistent/ca.pem\""},
	{"CA file not PEM", "ca_cert_file", "access_token = \"t\"\nca_cert_file = \"{notpem}\""},
}
