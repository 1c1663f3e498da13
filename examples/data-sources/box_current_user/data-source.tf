# Who the provider authenticates as.
data "box_current_user" "me" {}

output "me" {
  value = "${data.box_current_user.me.name} <${data.box_current_user.me.login}> in enterprise ${coalesce(data.box_current_user.me.enterprise_id, "none")}"
}
