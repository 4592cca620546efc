export * from './callback';
export * from './download';
export { toAssetItem, type AssetItem } from './item';
