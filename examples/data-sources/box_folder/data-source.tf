# A folder by its path from the root ("All Files"), walked one name at a time.
data "box_folder" "ndas" {
  path = "/Legal/NDAs"
}

# The same folder by ID; path is then computed from its ancestors.
data "box_folder" "by_id" {
  id = "987654321"
}

output "ndas_folder_id" {
  value = data.box_folder.ndas.id
}
