# Import a sign request by its ID (a UUID).
terraform import box_sign_request.nda 348decab-48a8-4f2c-9436-8967afebf7bb
