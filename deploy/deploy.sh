#!/usr/bin/env bash
# Builds the two images, pushes them to Artifact Registry and deploys the scorer and the gateway to Cloud Run from
# the manifests in deploy/cloud-run/. Safe to run again: every release is the same command with a new tag.
# --dry-run prints the commands and the rendered manifests and calls nothing. See deploy/README.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: deploy/deploy.sh --project ID --region REGION --image-tag TAG --profile-url URL --events-url URL [options]

  --project ID          Google Cloud project
  --region REGION       region of Cloud Run and Artifact Registry, e.g. europe-west1
  --image-tag TAG       tag of both images, e.g. a commit id
  --profile-url URL     origin of the profile feature service (PROFILE_SERVICE_URL)
  --events-url URL      origin of the events feature service (EVENTS_SERVICE_URL)

options:
  --repository NAME     Artifact Registry repository, created when missing (default: splitserve)
  --network NAME        VPC network of the gateway's Direct VPC egress (default: default)
  --subnet NAME         its subnet in REGION; Private Google Access is turned on (default: default)
  --no-nat              create no Cloud NAT (the feature services are reachable inside the VPC)
  --model-bucket NAME   serve the models in this Cloud Storage bucket instead of the image's demo models
  --builder KIND        cloud-build (default), or docker: docker buildx on this machine, pushing from here
  --skip-build          deploy images already pushed under this tag (configuration changes)
  --private-gateway     do not let unauthenticated clients invoke the gateway
  --render-dir DIR      where the rendered manifests go (default: a new temporary directory)
  --dry-run             print the commands and the rendered manifests; run nothing
  -h, --help            this text
USAGE
}

die() {
  printf 'deploy.sh: %s\n' "$*" >&2
  exit 2
}

deploy_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(dirname "$deploy_dir")

# Upper case: the values of the manifests' ${NAME} placeholders, read by name in render().
PROJECT_ID='' REGION='' IMAGE_TAG='' PROFILE_SERVICE_URL='' EVENTS_SERVICE_URL=''
# shellcheck disable=SC2034 # SCORER_URL is set by read_value and read by render()
REPOSITORY=splitserve NETWORK=default SUBNET=default MODEL_BUCKET='' SCORER_URL=''
builder=cloud-build nat=true build=true public_gateway=true render_dir='' dry_run=false gateway_url=''

while (($# > 0)); do
  case $1 in
    -h | --help)
      usage
      exit 0
      ;;
    --no-nat) nat=false ;;
    --skip-build) build=false ;;
    --private-gateway) public_gateway=false ;;
    --dry-run) dry_run=true ;;
    --project | --region | --image-tag | --profile-url | --events-url | --repository | --network | --subnet | \
      --model-bucket | --builder | --render-dir)
      (($# >= 2)) || die "$1 needs a value"
      case $1 in
        --project) PROJECT_ID=$2 ;;
        --region) REGION=$2 ;;
        --image-tag) IMAGE_TAG=$2 ;;
        --profile-url) PROFILE_SERVICE_URL=$2 ;;
        --events-url) EVENTS_SERVICE_URL=$2 ;;
        --repository) REPOSITORY=$2 ;;
        --network) NETWORK=$2 ;;
        --subnet) SUBNET=$2 ;;
        --model-bucket) MODEL_BUCKET=$2 ;;
        --builder) builder=$2 ;;
        --render-dir) render_dir=$2 ;;
      esac
      shift
      ;;
    *)
      usage >&2
      die "unknown argument: $1"
      ;;
  esac
  shift
done

# Every value lands in a YAML manifest or a command line: each must look like what it names.
name_pattern='^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$'
origin_pattern='^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?$'
[[ $PROJECT_ID =~ ^[a-z][-a-z0-9]{4,28}[a-z0-9]$ ]] || die "--project: not a project id: '$PROJECT_ID'"
[[ $REGION =~ ^[a-z]+-[a-z]+[0-9]+$ ]] || die "--region: not a region: '$REGION'"
[[ $IMAGE_TAG =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "--image-tag: not an image tag: '$IMAGE_TAG'"
[[ $PROFILE_SERVICE_URL =~ $origin_pattern ]] || die "--profile-url: not an http(s) origin: '$PROFILE_SERVICE_URL'"
[[ $EVENTS_SERVICE_URL =~ $origin_pattern ]] || die "--events-url: not an http(s) origin: '$EVENTS_SERVICE_URL'"
[[ $REPOSITORY =~ $name_pattern ]] || die "--repository: not a repository name: '$REPOSITORY'"
[[ $NETWORK =~ $name_pattern ]] || die "--network: not a network name: '$NETWORK'"
[[ $SUBNET =~ $name_pattern ]] || die "--subnet: not a subnet name: '$SUBNET'"
[[ -z $MODEL_BUCKET || $MODEL_BUCKET =~ ^[a-z0-9][-a-z0-9_.]{1,220}[a-z0-9]$ ]] ||
  die "--model-bucket: not a bucket name: '$MODEL_BUCKET'"
[[ $builder == cloud-build || $builder == docker ]] || die "--builder: cloud-build or docker, not '$builder'"
[[ $dry_run == true ]] || command -v gcloud >/dev/null || die "gcloud is not on PATH (https://cloud.google.com/sdk)"

if [[ -z $render_dir ]]; then render_dir=$(mktemp -d); fi
mkdir -p "$render_dir"

# Prints a command, quoted for the shell, then runs it (a dry run only prints it).
run() {
  printf '+%s\n' "$(printf ' %q' "$@")"
  if [[ $dry_run == false ]]; then "$@"; fi
}

# Succeeds when the describe command given finds the resource. A dry run prints the command and answers "missing",
# so that the commands creating it are printed too.
exists() {
  if [[ $dry_run == true ]]; then
    printf '+%s   # dry run: taken as missing\n' "$(printf ' %q' "$@")"
    return 1
  fi
  "$@" >/dev/null 2>&1
}

# read_value VARIABLE STAND_IN COMMAND...: sets VARIABLE to the command's output; a dry run prints the command and
# uses STAND_IN.
read_value() {
  local variable=$1 value=$2
  shift 2
  printf '+%s\n' "$(printf ' %q' "$@")"
  if [[ $dry_run == false ]]; then value=$("$@"); fi
  printf -v "$variable" '%s' "$value"
}

# render TEMPLATE OUTPUT: fills the ${NAME} placeholders from the variables of the same name, keeps the
# `# [models-volume] ` lines (uncommented) only with --model-bucket, and drops the other comment lines.
placeholders=(PROJECT_ID REGION REPOSITORY IMAGE_TAG NETWORK SUBNET MODEL_BUCKET SCORER_URL PROFILE_SERVICE_URL
  EVENTS_SERVICE_URL)
shopt -u patsub_replacement 2>/dev/null || true # bash 5.2: no '&' expansion in ${line//...}
render() {
  local template=$1 output=$2 line name
  : >"$output"
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line =~ ^([[:space:]]*)'# [models-volume] '(.*)$ ]]; then
      [[ -n $MODEL_BUCKET ]] || continue
      line=${BASH_REMATCH[1]}${BASH_REMATCH[2]}
    fi
    [[ $line =~ ^[[:space:]]*# ]] && continue
    for name in "${placeholders[@]}"; do
      if [[ $line == *"\${$name}"* ]]; then
        [[ -n ${!name} ]] || die "$template: no value for \${$name}"
        line=${line//"\${$name}"/${!name}}
      fi
    done
    # shellcheck disable=SC2016 # a literal '${'
    [[ $line != *'${'* ]] || die "$template: unknown placeholder in: $line"
    printf '%s\n' "$line" >>"$output"
  done <"$template"
  if [[ $dry_run == true ]]; then
    printf -- '--- # %s\n' "$output"
    cat "$output"
  fi
}

registry=$REGION-docker.pkg.dev/$PROJECT_ID/$REPOSITORY
scorer_account=splitserve-scorer@$PROJECT_ID.iam.gserviceaccount.com
gateway_account=splitserve-gateway@$PROJECT_ID.iam.gserviceaccount.com
project=(--project "$PROJECT_ID" --quiet)
in_region=(--region "$REGION" --project "$PROJECT_ID" --quiet)

run gcloud services enable run.googleapis.com artifactregistry.googleapis.com cloudbuild.googleapis.com \
  compute.googleapis.com iam.googleapis.com "${project[@]}"

if [[ $build == true ]]; then
  exists gcloud artifacts repositories describe "$REPOSITORY" --location "$REGION" "${project[@]}" ||
    run gcloud artifacts repositories create "$REPOSITORY" --repository-format docker --location "$REGION" \
      --description 'splitserve images' "${project[@]}"
  if [[ $builder == cloud-build ]]; then
    run gcloud builds submit "$repo_root" --config "$deploy_dir/cloudbuild.yaml" \
      --substitutions "_REGISTRY=$registry,_IMAGE_TAG=$IMAGE_TAG" "${project[@]}"
  else
    run gcloud auth configure-docker "$REGION-docker.pkg.dev" --quiet
    for target in scorer io-gateway; do
      run docker buildx build --platform linux/amd64 --target "$target" --tag "$registry/$target:$IMAGE_TAG" \
        --push "$repo_root"
    done
  fi
fi

for account in "$scorer_account" "$gateway_account"; do
  exists gcloud iam service-accounts describe "$account" "${project[@]}" ||
    run gcloud iam service-accounts create "${account%%@*}" --display-name "${account%%@*}" "${project[@]}"
done

# The gateway reaches the scorer's internal ingress through its subnet, which needs Private Google Access; with
# all its traffic in the VPC, Cloud NAT takes its calls to feature services on the internet.
run gcloud compute networks subnets update "$SUBNET" --enable-private-ip-google-access "${in_region[@]}"
if [[ $nat == true ]]; then
  exists gcloud compute routers describe splitserve-router "${in_region[@]}" ||
    run gcloud compute routers create splitserve-router --network "$NETWORK" "${in_region[@]}"
  exists gcloud compute routers nats describe splitserve-nat --router splitserve-router "${in_region[@]}" ||
    run gcloud compute routers nats create splitserve-nat --router splitserve-router \
      --auto-allocate-nat-external-ips --nat-all-subnet-ip-ranges "${in_region[@]}"
fi

if [[ -n $MODEL_BUCKET ]]; then
  run gcloud storage buckets add-iam-policy-binding "gs://$MODEL_BUCKET" --member "serviceAccount:$scorer_account" \
    --role roles/storage.objectViewer "${project[@]}"
fi

render "$deploy_dir/cloud-run/scorer.yaml" "$render_dir/scorer.yaml"
render "$deploy_dir/cloud-run/scorer-invokers.yaml" "$render_dir/scorer-invokers.yaml"
run gcloud run services replace "$render_dir/scorer.yaml" "${in_region[@]}"
# The whole policy: only the gateway's service account may invoke the scorer.
run gcloud run services set-iam-policy splitserve-scorer "$render_dir/scorer-invokers.yaml" "${in_region[@]}"
read_value SCORER_URL "https://splitserve-scorer-project-number.$REGION.run.app" \
  gcloud run services describe splitserve-scorer --format 'value(status.url)' "${in_region[@]}"

render "$deploy_dir/cloud-run/io-gateway.yaml" "$render_dir/io-gateway.yaml"
run gcloud run services replace "$render_dir/io-gateway.yaml" "${in_region[@]}"
if [[ $public_gateway == true ]]; then
  run gcloud run services add-iam-policy-binding splitserve-gateway --member allUsers --role roles/run.invoker \
    "${in_region[@]}"
fi
read_value gateway_url "https://splitserve-gateway-project-number.$REGION.run.app" \
  gcloud run services describe splitserve-gateway --format 'value(status.url)' "${in_region[@]}"

printf 'gateway: %s\n' "$gateway_url"
