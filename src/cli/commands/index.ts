// Every command of `photo-sync`, in the order --help lists them. A new command is one file in this
// folder exporting `defineCommand({...})` and one line here.
import type { CliCommand } from '../command';
import download from './download';
import importTakeout from './importTakeout';
import login from './login';
import logout from './logout';
import pick from './pick';
import setupClient from './setupClient';
import status from './status';
import sync from './sync';
import upload from './upload';
import verify from './verify';

export const COMMANDS: readonly CliCommand[] = [
  setupClient,
  login,
  logout,
  status,
  sync,
  upload,
  pick,
  download,
  verify,
  importTakeout,
];
