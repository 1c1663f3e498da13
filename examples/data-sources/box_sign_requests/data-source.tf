# The user's requests still out for signature.
data "box_sign_requests" "outstanding" {
  status = ["sent", "viewed"]
}

# Requests other people shared with the user, from two senders.
data "box_sign_requests" "shared" {
  shared_requests = true
  senders         = ["legal@example.com", "hr@example.com"]
}

output "outstanding_ids" {
  value = data.box_sign_requests.outstanding.sign_requests[*].id
}
