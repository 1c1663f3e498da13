# A folder for contracts in the root ("All Files"). Renaming or moving it
# later happens in place: the folder keeps its ID.
resource "box_folder" "contracts" {
  name        = "Contracts"
  description = "NDAs sent for signature by Terraform"
}

# A subfolder that may be destroyed with whatever it holds.
resource "box_folder" "drafts" {
  name            = "Drafts"
  parent_id       = box_folder.contracts.id
  delete_contents = true
}
