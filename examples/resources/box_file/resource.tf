resource "box_folder" "contracts" {
  name = "Contracts"
}

# Uploads nda.pdf from the configuration's folder. Editing the PDF plans
# one new version in place: the file keeps its ID.
resource "box_file" "nda" {
  source    = "${path.module}/nda.pdf"
  folder_id = box_folder.contracts.id
}
