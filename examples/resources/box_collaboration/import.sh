# Import a collaboration by its ID (GET /2.0/folders/{id}/collaborations lists them).
terraform import box_collaboration.service 1122334455
