// The sandbox's action handlers, one file per concern; dispatch picks one by action and resource type.
import { ACTION, ActionError } from '../contract';
import type { SandboxStore } from '../store';
import type { ActionResult, Behaviour, Params } from './action';
import { deleteFileRelation, getFiles, modifyFileRelation } from './files';
import { readAddresses, readEstates, search } from './records';
import { getFields, readBasicSettings, readImpressum } from './settings';
import { uploadfile } from './uploadfile';

export type { ActionResult, Behaviour } from './action';
export { uploadStep, type UploadStep } from './uploadfile';

export function dispatch(
	store: SandboxStore,
	behaviour: Behaviour,
	actionid: string,
	resourcetype: string,
	resourceid: string,
	p: Params,
): ActionResult {
	if (actionid === ACTION.do && resourcetype === 'uploadfile') return uploadfile(store, p);
	if (actionid === ACTION.get && resourcetype === 'file')
		return getFiles(store, behaviour, resourceid, p);
	if (actionid === ACTION.get && resourcetype === 'search')
		return search(store, behaviour, resourceid, p);
	if (actionid === ACTION.read && resourcetype === 'estate')
		return readEstates(store, behaviour, resourceid, p);
	if (actionid === ACTION.read && resourcetype === 'address')
		return readAddresses(store, behaviour, resourceid, p);
	if (actionid === ACTION.get && resourcetype === 'fields') return getFields(store, p);
	if (actionid === ACTION.read && resourcetype === 'basicsettings') return readBasicSettings();
	if (actionid === ACTION.read && resourcetype === 'impressum') return readImpressum();
	if (actionid === ACTION.modify && resourcetype === 'fileRelation')
		return modifyFileRelation(store, p);
	if (actionid === ACTION.delete && resourcetype === 'fileRelation')
		return deleteFileRelation(store, p);
	throw new ActionError(25, resourcetype);
}
