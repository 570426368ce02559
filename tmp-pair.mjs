import PDFDocument from 'pdfkit';
import { createWriteStream } from 'node:fs';
const [b, a, out] = process.argv.slice(2);
const doc = new PDFDocument({ size: [1000, 705], margin: 0 });
doc.pipe(createWriteStream(out));
doc.image(b, 0, 0, { fit: [496, 705] }); doc.image(a, 504, 0, { fit: [496, 705] });
doc.rect(498, 0, 4, 705).fill('#cc0000');
doc.end();
