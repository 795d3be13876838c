/** What a conversion type may be called (the postback's `et=`, the upload's 4th field). */
export const CONVERSION_TYPE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
