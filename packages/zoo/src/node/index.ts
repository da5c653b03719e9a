export { fileIO, registerFileIORouters, type FileIOOptions } from './tfjs-file-io';
