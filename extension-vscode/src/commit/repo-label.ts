// How every message names a repository: workspace-relative, or its folder's name for a workspace folder's own
// root (asRelativePath returns that root unchanged) — never a long absolute path.
import * as vscode from 'vscode';
import { repositoryName } from './protection-offer.js';

export const repoLabel = (root: string): string => repositoryName(vscode.workspace.asRelativePath(root) || root);
