# JWT server authentication with the config file that Box's Developer Console
# downloads (it holds the encrypted private key and its passphrase).
# as_user_id sends the As-User header, so sign requests are sent by that user.
provider "box" {
  jwt_config_file = "${path.module}/box_config.json"
  as_user_id      = "22334455"
}
