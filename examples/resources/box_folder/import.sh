# Import a folder by its ID (from its URL in the Box web app).
terraform import box_folder.contracts 123456789
