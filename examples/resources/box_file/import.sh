# Import a file by its ID. The first apply afterwards records `source`; it
# uploads nothing when the local file has the same content.
terraform import box_file.nda 987654321
