# A file by name in a folder found by path: no numeric IDs in the configuration.
data "box_folder" "ndas" {
  path = "/Legal/NDAs"
}

data "box_file" "nda" {
  folder_id = data.box_folder.ndas.id
  name      = "NDA.pdf"
}

# Or by ID.
data "box_file" "contract" {
  id = "1234567890"
}

output "nda_sha1" {
  value = data.box_file.nda.sha1
}
