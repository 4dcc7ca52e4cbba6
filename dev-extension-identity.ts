/**
 * Development and test builds pin the manifest `key`, so the unpacked extension always has the same
 * id and the demo relay can name it in RELAY_ALLOWED_ORIGINS. Only the public key is here; it grants
 * nothing. Store builds leave it out (the stores assign the id).
 */
export const DEV_EXTENSION_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzRy0acD7MK3xaBLZwhPWrygTQhAHOPJgH2tn0p7Kod7t0RL40wb3AiUm9nxT+Vme67Z6CCuw1SWYch/SPhkjaXAiBmqTWc0MVnBugkVqgmo4Mq6K/RmjIPRdoHt0Isj3a5K1a0WC6ohv7Ro+Dr7JPr0N0qRYw92fzkDVykOYmuTa04MNKoTERoIQNBmsvXjDze2kbyYGpgW+KxZ5vsbl6q62jHAcwRjvurxPluLaiXmYhxaYwS9/bU1QYMDRZTBVumQ2/VpexlqjMZ79ngx+TTx/cDb8cKSsbFOdFsi9BPOrnfD9ocneTmX7Wf7EpCmI0SfJhDyG+r8y162EkJlGawIDAQAB';

/** Derived from DEV_EXTENSION_KEY (a test checks that they match). */
export const DEV_EXTENSION_ID = 'kegeflodofmhekcipccbndgccfjffffe';

export const DEV_EXTENSION_ORIGIN = `chrome-extension://${DEV_EXTENSION_ID}`;
