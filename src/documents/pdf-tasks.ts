// What the PDF worker threads run (see ./pdf-work.ts): pure functions of their arguments.
import { validatePdf } from '../signatures/validation/index.ts';
import { renderAdministrativeDocument } from './nd30/index.ts';

export const tasks = { render: renderAdministrativeDocument, validate: validatePdf };
