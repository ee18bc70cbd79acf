/** Hands a file the server built (an export) to the browser as a download. */
export function downloadFile({ fileName, mimeType, content }: { fileName: string; mimeType: string; content: string }) {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}
