/** Entry of the bundled language server. */
import { startServer } from './server.js';

startServer();
