# Waits longer than the emulator's -auto-act delay, so the next run sees
# what the signer did. terraform_data and local-exec are built into
# Terraform: nothing to download.
variable "seconds" {
  type = number
}

resource "terraform_data" "wait" {
  input = var.seconds

  provisioner "local-exec" {
    command = "sleep ${var.seconds}"
  }
}
