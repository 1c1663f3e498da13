# Every template the user can see, for example to look them up by name.
data "box_sign_templates" "all" {}

output "template_ids_by_name" {
  value = { for t in data.box_sign_templates.all.templates : t.name => t.id... }
}
