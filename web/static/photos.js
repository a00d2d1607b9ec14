// Photos before upload: a large one is made smaller in the browser (a 12-megapixel photo is 4 MB; over 3G,
// a minute), a small one goes as it is. Proof photos always go as taken: their GPS and capture time are the proof.
const LONGEST = 1600; // pixels on the longer side: more than a phone screen shows, a few hundred KB as JPEG
const SMALL_ENOUGH = 700 * 1024;

export async function resized(file) {
  if (file.size <= SMALL_ENOUGH) return file;
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return file; // not an image the browser reads: the server says what is wrong with it
  }
  const scale = Math.min(1, LONGEST / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
  if (!blob || blob.size >= file.size) return file;
  return new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" });
}

// A file input's photos, each as a thumbnail the person can check before sending.
export function previews(files) {
  return [...files].map((file) => {
    const img = document.createElement("img");
    img.src = URL.createObjectURL(file);
    img.alt = file.name;
    img.width = 96;
    img.height = 96;
    img.onload = () => URL.revokeObjectURL(img.src);
    return img;
  });
}
