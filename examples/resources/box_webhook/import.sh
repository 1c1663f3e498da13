# Import a webhook by its ID (GET /2.0/webhooks lists them, or use the box_webhook list resource).
terraform import box_webhook.signatures 12345678
